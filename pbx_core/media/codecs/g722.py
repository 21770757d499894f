"""G.722 sub-band ADPCM at 64 kbit/s (ITU-T G.722 (09/2012) §3-§4, mode 1).

Pure Python: a 24-tap QMF splits 16 kHz audio into a low band (6-bit ADPCM) and a high band
(2-bit ADPCM); each byte carries one low and one high code.  Per-sample integer work is
unavoidable, so it stays in plain ints and lists; it serves tone and prompt legs, not the relay
path (relayed G.722 is never decoded).
"""

from __future__ import annotations

import numpy as np

from pbx_core.media.codecs.base import Decoder, Encoder, Pcm

__all__ = ["G722Decoder", "G722Encoder"]

# Constants of the Recommendation (tables 6-18); names follow its block diagram.
_Q6 = (0, 35, 72, 110, 150, 190, 233, 276, 323, 370, 422, 473, 530, 587, 650, 714,
       786, 858, 940, 1023, 1121, 1219, 1339, 1458, 1612, 1765, 1980, 2195, 2557, 2919)  # fmt: skip
_ILN = (0, 63, 62, 31, 30, 29, 28, 27, 26, 25, 24, 23, 22, 21, 20, 19,
        18, 17, 16, 15, 14, 13, 12, 11, 10, 9, 8, 7, 6, 5, 4, 0)  # fmt: skip
_ILP = (0, 61, 60, 59, 58, 57, 56, 55, 54, 53, 52, 51, 50, 49, 48, 47,
        46, 45, 44, 43, 42, 41, 40, 39, 38, 37, 36, 35, 34, 33, 32, 0)  # fmt: skip
_WL = (-60, -30, 58, 172, 334, 538, 1198, 3042)
_RL42 = (0, 7, 6, 5, 4, 3, 2, 1, 7, 6, 5, 4, 3, 2, 1, 0)
_ILB = (2048, 2093, 2139, 2186, 2233, 2282, 2332, 2383, 2435, 2489, 2543, 2599, 2656, 2714,
        2774, 2834, 2896, 2960, 3025, 3091, 3158, 3228, 3298, 3371, 3444, 3520, 3597, 3676,
        3756, 3838, 3922, 4008)  # fmt: skip
_QM4 = (0, -20456, -12896, -8968, -6288, -4240, -2584, -1200,
        20456, 12896, 8968, 6288, 4240, 2584, 1200, 0)  # fmt: skip
_QM6 = (-136, -136, -136, -136, -24808, -21904, -19008, -16704,
        -14984, -13512, -12280, -11192, -10232, -9360, -8576, -7856,
        -7192, -6576, -6000, -5456, -4944, -4464, -4008, -3576,
        -3168, -2776, -2400, -2032, -1688, -1360, -1040, -728,
        24808, 21904, 19008, 16704, 14984, 13512, 12280, 11192,
        10232, 9360, 8576, 7856, 7192, 6576, 6000, 5456,
        4944, 4464, 4008, 3576, 3168, 2776, 2400, 2032,
        1688, 1360, 1040, 728, 432, 136, -432, -136)  # fmt: skip
_QM2 = (-7408, -1616, 7408, 1616)
_IHN = (0, 1, 0)
_IHP = (0, 3, 2)
_WH = (0, -214, 798)
_RH2 = (2, 1, 2, 1)
_QMF = (3, -11, 12, 32, -210, 951, 3876, -805, 362, -156, 53, -11)
_QMF_REVERSED = _QMF[::-1]


def _sat(value: int) -> int:
    return -32768 if value < -32768 else 32767 if value > 32767 else value


class _Band:
    """Adaptive predictor and scale factor of one sub-band (blocks 3 and 4)."""

    __slots__ = ("a", "ap", "b", "bp", "d", "det", "nb", "p", "r", "s", "sz")

    def __init__(self, det: int) -> None:
        self.det = det
        self.nb = 0
        self.s = 0
        self.sz = 0
        self.a = [0, 0, 0]
        self.ap = [0, 0, 0]
        self.b = [0] * 7
        self.bp = [0] * 7
        self.d = [0] * 7
        self.p = [0, 0, 0]
        self.r = [0, 0, 0]

    def scale(self, weight: int, limit: int, shift: int) -> None:
        """LOGSCL/LOGSCH then SCALEL/SCALEH: adapt the quantiser step."""
        nb = ((self.nb * 127) >> 7) + weight
        self.nb = nb = 0 if nb < 0 else limit if nb > limit else nb
        wd1 = (nb >> 6) & 31
        wd2 = shift - (nb >> 11)
        self.det = (_ILB[wd1] << -wd2 if wd2 < 0 else _ILB[wd1] >> wd2) << 2

    def update(self, d: int) -> None:
        """Block 4: reconstruct, adapt the pole and zero predictors, predict the next sample."""
        a, ap, b, bp, dd, p, r = self.a, self.ap, self.b, self.bp, self.d, self.p, self.r
        dd[0] = d
        r[0] = _sat(self.s + d)
        p[0] = _sat(self.sz + d)
        sg0, sg1, sg2 = p[0] >> 15, p[1] >> 15, p[2] >> 15
        wd1 = _sat(a[1] << 2)
        wd2 = -wd1 if sg0 == sg1 else wd1
        wd2 = min(wd2, 32767)
        wd3 = (wd2 >> 7) + (128 if sg0 == sg2 else -128) + ((a[2] * 32512) >> 15)
        ap[2] = wd3 = -12288 if wd3 < -12288 else 12288 if wd3 > 12288 else wd3
        ap1 = _sat((192 if sg0 == sg1 else -192) + ((a[1] * 32640) >> 15))
        limit = _sat(15360 - wd3)
        ap[1] = limit if ap1 > limit else -limit if ap1 < -limit else ap1
        step = 0 if d == 0 else 128
        sgd = d >> 15
        for i in range(1, 7):
            wd2 = step if (dd[i] >> 15) == sgd else -step
            bp[i] = _sat(wd2 + ((b[i] * 32640) >> 15))
        for i in range(6, 0, -1):
            dd[i] = dd[i - 1]
            b[i] = bp[i]
        r[2], r[1] = r[1], r[0]
        p[2], p[1] = p[1], p[0]
        a[2], a[1] = ap[2], ap[1]
        sp = _sat(((a[1] * _sat(r[1] + r[1])) >> 15) + ((a[2] * _sat(r[2] + r[2])) >> 15))
        sz = 0
        for i in range(6, 0, -1):
            sz += (b[i] * _sat(dd[i] + dd[i])) >> 15
        self.sz = sz = _sat(sz)
        self.s = _sat(sp + sz)


class G722Encoder(Encoder):
    """64 kbit/s encoder: two 16 kHz samples in, one byte out."""

    def __init__(self) -> None:
        self._low = _Band(32)
        self._high = _Band(8)
        self._x = [0] * 24

    def encode(self, pcm: Pcm) -> bytes:
        samples = np.asarray(pcm, dtype=np.int16).tolist()
        if len(samples) % 2:
            samples.append(0)
        low, high, x = self._low, self._high, self._x
        out = bytearray(len(samples) // 2)
        for n in range(0, len(samples), 2):
            del x[:2]
            x.append(samples[n])
            x.append(samples[n + 1])
            sumodd = sum(c * v for c, v in zip(_QMF, x[0::2], strict=True))
            sumeven = sum(c * v for c, v in zip(_QMF_REVERSED, x[1::2], strict=True))
            xlow = (sumeven + sumodd) >> 14
            xhigh = (sumeven - sumodd) >> 14

            el = _sat(xlow - low.s)
            wd = el if el >= 0 else -(el + 1)
            det = low.det
            i = 1
            while i < 30 and wd >= (_Q6[i] * det) >> 12:
                i += 1
            ilow = _ILN[i] if el < 0 else _ILP[i]
            ril = ilow >> 2
            dlow = (det * _QM4[ril]) >> 15
            low.scale(_WL[_RL42[ril]], 18432, 8)
            low.update(dlow)

            eh = _sat(xhigh - high.s)
            wd = eh if eh >= 0 else -(eh + 1)
            mih = 2 if wd >= (564 * high.det) >> 12 else 1
            ihigh = _IHN[mih] if eh < 0 else _IHP[mih]
            dhigh = (high.det * _QM2[ihigh]) >> 15
            high.scale(_WH[_RH2[ihigh]], 22528, 10)
            high.update(dhigh)
            out[n // 2] = (ihigh << 6) | ilow
        return bytes(out)


class G722Decoder(Decoder):
    """64 kbit/s decoder: one byte in, two 16 kHz samples out."""

    def __init__(self) -> None:
        self._low = _Band(32)
        self._high = _Band(8)
        self._x = [0] * 24

    def decode(self, payload: bytes) -> Pcm:
        low, high, x = self._low, self._high, self._x
        out = [0] * (2 * len(payload))
        for n, code in enumerate(payload):
            ilow = code & 0x3F
            ihigh = (code >> 6) & 0x03
            ril = ilow >> 2
            rlow = low.s + ((low.det * _QM6[ilow]) >> 15)
            rlow = -16384 if rlow < -16384 else 16383 if rlow > 16383 else rlow
            dlow = (low.det * _QM4[ril]) >> 15
            low.scale(_WL[_RL42[ril]], 18432, 8)
            low.update(dlow)

            dhigh = (high.det * _QM2[ihigh]) >> 15
            rhigh = dhigh + high.s
            rhigh = -16384 if rhigh < -16384 else 16383 if rhigh > 16383 else rhigh
            high.scale(_WH[_RH2[ihigh]], 22528, 10)
            high.update(dhigh)

            del x[:2]
            x.append(rlow + rhigh)
            x.append(rlow - rhigh)
            xout2 = sum(c * v for c, v in zip(_QMF, x[0::2], strict=True))
            xout1 = sum(c * v for c, v in zip(_QMF_REVERSED, x[1::2], strict=True))
            out[2 * n] = _sat(xout1 >> 11)
            out[2 * n + 1] = _sat(xout2 >> 11)
        return np.array(out, dtype=np.int16)
