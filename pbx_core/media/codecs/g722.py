"""G.722 sub-band ADPCM at 64 kbit/s (ITU-T G.722 (09/2012) §3-§4, mode 1).

Pure Python: a 24-tap QMF splits 16 kHz audio into a low band (6-bit ADPCM) and a high band
(2-bit ADPCM); each byte carries one low and one high code.  The QMF is a FIR and runs in numpy
over a whole frame; the ADPCM is recursive per sample, so it stays in plain ints, unrolled.
It serves tone, prompt and conference legs, not the relay path (relayed G.722 is never decoded).
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

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
    """Adaptive predictor and scale factor of one sub-band (blocks 3 and 4).

    The state is kept in plain ints and unrolled by hand: this runs for every sample.
    """

    __slots__ = ("a1", "a2", "b", "d", "det", "nb", "p1", "p2", "r1", "r2", "s", "sz")

    def __init__(self, det: int) -> None:
        self.det = det
        self.nb = 0
        self.s = 0
        self.sz = 0
        self.a1 = self.a2 = 0
        self.p1 = self.p2 = 0
        self.r1 = self.r2 = 0
        self.b = (0, 0, 0, 0, 0, 0)  # zero predictor coefficients b1..b6
        self.d = (0, 0, 0, 0, 0, 0)  # past quantised differences d1..d6

    def scale(self, weight: int, limit: int, shift: int) -> None:
        """LOGSCL/LOGSCH then SCALEL/SCALEH: adapt the quantiser step."""
        nb = ((self.nb * 127) >> 7) + weight
        self.nb = nb = 0 if nb < 0 else limit if nb > limit else nb
        wd1 = (nb >> 6) & 31
        wd2 = shift - (nb >> 11)
        self.det = (_ILB[wd1] << -wd2 if wd2 < 0 else _ILB[wd1] >> wd2) << 2

    def update(self, d: int) -> None:
        """Block 4: reconstruct, adapt the pole and zero predictors, predict the next sample."""
        r0 = self.s + d
        r0 = -32768 if r0 < -32768 else 32767 if r0 > 32767 else r0
        p0 = self.sz + d
        p0 = -32768 if p0 < -32768 else 32767 if p0 > 32767 else p0
        sg0, sg1, sg2 = p0 >> 15, self.p1 >> 15, self.p2 >> 15
        a1, a2 = self.a1, self.a2
        wd1 = a1 << 2
        wd1 = -32768 if wd1 < -32768 else 32767 if wd1 > 32767 else wd1
        wd2 = -wd1 if sg0 == sg1 else wd1
        if wd2 > 32767:
            wd2 = 32767
        wd3 = (wd2 >> 7) + (128 if sg0 == sg2 else -128) + ((a2 * 32512) >> 15)
        a2 = -12288 if wd3 < -12288 else 12288 if wd3 > 12288 else wd3
        ap1 = (192 if sg0 == sg1 else -192) + ((a1 * 32640) >> 15)
        ap1 = -32768 if ap1 < -32768 else 32767 if ap1 > 32767 else ap1
        limit = 15360 - a2
        a1 = limit if ap1 > limit else -limit if ap1 < -limit else ap1
        b1, b2, b3, b4, b5, b6 = self.b
        d1, d2, d3, d4, d5, d6 = self.d
        step = 0 if d == 0 else 128
        sgd = d >> 15
        b1 = (step if d1 >> 15 == sgd else -step) + ((b1 * 32640) >> 15)
        b2 = (step if d2 >> 15 == sgd else -step) + ((b2 * 32640) >> 15)
        b3 = (step if d3 >> 15 == sgd else -step) + ((b3 * 32640) >> 15)
        b4 = (step if d4 >> 15 == sgd else -step) + ((b4 * 32640) >> 15)
        b5 = (step if d5 >> 15 == sgd else -step) + ((b5 * 32640) >> 15)
        b6 = (step if d6 >> 15 == sgd else -step) + ((b6 * 32640) >> 15)
        b1 = -32768 if b1 < -32768 else 32767 if b1 > 32767 else b1
        b2 = -32768 if b2 < -32768 else 32767 if b2 > 32767 else b2
        b3 = -32768 if b3 < -32768 else 32767 if b3 > 32767 else b3
        b4 = -32768 if b4 < -32768 else 32767 if b4 > 32767 else b4
        b5 = -32768 if b5 < -32768 else 32767 if b5 > 32767 else b5
        b6 = -32768 if b6 < -32768 else 32767 if b6 > 32767 else b6
        d1, d2, d3, d4, d5, d6 = d, d1, d2, d3, d4, d5
        self.b = (b1, b2, b3, b4, b5, b6)
        self.d = (d1, d2, d3, d4, d5, d6)
        r2, r1 = self.r1, r0
        self.r1, self.r2 = r1, r2
        self.p1, self.p2 = p0, self.p1
        self.a1, self.a2 = a1, a2
        x1, x2 = r1 + r1, r2 + r2
        x1 = -32768 if x1 < -32768 else 32767 if x1 > 32767 else x1
        x2 = -32768 if x2 < -32768 else 32767 if x2 > 32767 else x2
        sp = ((a1 * x1) >> 15) + ((a2 * x2) >> 15)
        sp = -32768 if sp < -32768 else 32767 if sp > 32767 else sp
        sz = 0
        for b, dd in ((b6, d6), (b5, d5), (b4, d4), (b3, d3), (b2, d2), (b1, d1)):
            w = dd + dd
            sz += (b * (-32768 if w < -32768 else 32767 if w > 32767 else w)) >> 15
        self.sz = sz = -32768 if sz < -32768 else 32767 if sz > 32767 else sz
        s = sp + sz
        self.s = -32768 if s < -32768 else 32767 if s > 32767 else s


_QMF_ODD = np.array(_QMF, dtype=np.int64)
_QMF_EVEN = np.array(_QMF_REVERSED, dtype=np.int64)


def _qmf(history: npt.NDArray[np.int64], pairs: int) -> tuple[npt.NDArray[np.int64], ...]:
    """The two 12-tap QMF sums for each of ``pairs`` sample pairs, over the 24-sample window
    that ends with the pair (window n is ``history[2n+2 : 2n+26]``)."""
    windows = np.lib.stride_tricks.sliding_window_view(history, 24)[2 : 2 + 2 * pairs : 2]
    return windows[:, 0::2] @ _QMF_ODD, windows[:, 1::2] @ _QMF_EVEN


class G722Encoder(Encoder):
    """64 kbit/s encoder: two 16 kHz samples in, one byte out."""

    def __init__(self) -> None:
        self._low = _Band(32)
        self._high = _Band(8)
        self._x = np.zeros(24, dtype=np.int64)

    def encode(self, pcm: Pcm) -> bytes:
        samples = np.asarray(pcm, dtype=np.int64)
        if len(samples) % 2:
            samples = np.append(samples, 0)
        pairs = len(samples) // 2
        history = np.concatenate([self._x, samples])
        self._x = history[-24:]
        sumodd, sumeven = _qmf(history, pairs)
        xlows = ((sumeven + sumodd) >> 14).tolist()
        xhighs = ((sumeven - sumodd) >> 14).tolist()
        low, high = self._low, self._high
        out = bytearray(pairs)
        for n in range(pairs):
            el = xlows[n] - low.s
            el = -32768 if el < -32768 else 32767 if el > 32767 else el
            wd = el if el >= 0 else -(el + 1)
            det = low.det
            i = 1
            while i < 30 and wd >= (_Q6[i] * det) >> 12:
                i += 1
            ilow = _ILN[i] if el < 0 else _ILP[i]
            ril = ilow >> 2
            low.scale(_WL[_RL42[ril]], 18432, 8)
            low.update((det * _QM4[ril]) >> 15)

            eh = xhighs[n] - high.s
            eh = -32768 if eh < -32768 else 32767 if eh > 32767 else eh
            wd = eh if eh >= 0 else -(eh + 1)
            det = high.det
            mih = 2 if wd >= (564 * det) >> 12 else 1
            ihigh = _IHN[mih] if eh < 0 else _IHP[mih]
            high.scale(_WH[_RH2[ihigh]], 22528, 10)
            high.update((det * _QM2[ihigh]) >> 15)
            out[n] = (ihigh << 6) | ilow
        return bytes(out)


class G722Decoder(Decoder):
    """64 kbit/s decoder: one byte in, two 16 kHz samples out."""

    def __init__(self) -> None:
        self._low = _Band(32)
        self._high = _Band(8)
        self._x = np.zeros(24, dtype=np.int64)

    def decode(self, payload: bytes) -> Pcm:
        low, high = self._low, self._high
        bands = [0] * (2 * len(payload))
        for n, code in enumerate(payload):
            ilow = code & 0x3F
            ihigh = (code >> 6) & 0x03
            ril = ilow >> 2
            det = low.det
            rlow = low.s + ((det * _QM6[ilow]) >> 15)
            rlow = -16384 if rlow < -16384 else 16383 if rlow > 16383 else rlow
            low.scale(_WL[_RL42[ril]], 18432, 8)
            low.update((det * _QM4[ril]) >> 15)

            dhigh = (high.det * _QM2[ihigh]) >> 15
            rhigh = dhigh + high.s
            rhigh = -16384 if rhigh < -16384 else 16383 if rhigh > 16383 else rhigh
            high.scale(_WH[_RH2[ihigh]], 22528, 10)
            high.update(dhigh)
            bands[2 * n] = rlow + rhigh
            bands[2 * n + 1] = rlow - rhigh
        history = np.concatenate([self._x, np.array(bands, dtype=np.int64)])
        self._x = history[-24:]
        xout2, xout1 = _qmf(history, len(payload))
        out = np.empty(2 * len(payload), dtype=np.int64)
        out[0::2] = xout1 >> 11
        out[1::2] = xout2 >> 11
        return np.clip(out, -32768, 32767).astype(np.int16)
