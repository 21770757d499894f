"""Generate the PBX's prompts and hold music: `.venv/bin/python -m tools.prompts` (`make prompts`).

Prompts are spoken by espeak-ng with a fixed voice, speed and pitch (so a rebuild with the same
espeak-ng gives the same files), trimmed, normalised and stored as 16 kHz mono 16-bit WAV in
``resources/prompts/<lang>/<name>.wav``.  The hold music is synthesised here with numpy (soft
chords over a bass and a slow arpeggio; no third-party audio, so no licence) into
``resources/prompts/music/default.wav``.  The product plays the committed files and never needs
espeak-ng itself.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import wave
from pathlib import Path

import numpy as np
import numpy.typing as npt
import soxr

__all__ = ["MUSIC", "PROMPTS", "RATE", "TEXTS", "beep", "build", "music"]

RATE = 16_000
PROMPTS = Path(__file__).resolve().parents[1] / "resources" / "prompts"
MUSIC = PROMPTS / "music" / "default.wav"
_VOICES = {"en": "en-gb+f3", "nl": "nl+f3"}
_SPEED_WPM = 150
_PITCH = 45
_PEAK_DBFS = -3.0
_PAD_S = 0.08

_DIGITS = {
    "en": ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine"),
    "nl": ("nul", "één", "twee", "drie", "vier", "vijf", "zes", "zeven", "acht", "negen"),
}
TEXTS: dict[str, dict[str, str]] = {
    "en": {
        "parked": "Your call has been placed in the queue.",
        "slot": "Parked on",
        "intrusion": "A colleague has joined the call. Please hold.",
        "conference-alone": "You are the first person in the conference.",
        "transfer-failed": "The transfer did not succeed. You are being reconnected.",
        "not-allowed": "This is not allowed.",
        "unavailable": "The number you dialled is not available.",
        "goodbye": "Goodbye.",
        "vm-extension": "The person at extension",
        "vm-unavailable": "is not available. Please leave a message after the tone, "
        "and press hash when you are done.",
        "vm-saved": "Thank you. Your message has been saved.",
        "vm-you-have": "You have",
        "vm-new-messages": "new messages.",
        "vm-no-messages": "You have no new messages.",
        "vm-menu": "Press 1 to hear the message again, 7 to delete it, or 9 to save it.",
        "vm-deleted": "Message deleted.",
        "vm-kept": "Message saved.",
        "vm-no-more": "There are no more messages.",
        "vm-greeting-hint": "To record your greeting, press 0.",
        "vm-greeting-record": "Record your greeting after the tone, and press hash when you are "
        "done.",
        "vm-greeting-saved": "Your greeting has been saved.",
    },
    "nl": {
        "parked": "Uw oproep is in de wachtrij geplaatst.",
        "slot": "Geparkeerd op",
        "intrusion": "Een collega neemt deel aan het gesprek. Een ogenblik geduld.",
        "conference-alone": "U bent de eerste persoon in de vergadering.",
        "transfer-failed": "Het doorverbinden is niet gelukt. U wordt opnieuw verbonden.",
        "not-allowed": "Dit is niet toegestaan.",
        "unavailable": "Het gekozen nummer is niet beschikbaar.",
        "goodbye": "Tot ziens.",
        "vm-extension": "De persoon op toestel",
        "vm-unavailable": "is niet bereikbaar. Spreek een bericht in na de toon, "
        "en druk op hekje als u klaar bent.",
        "vm-saved": "Dank u. Uw bericht is opgeslagen.",
        "vm-you-have": "U heeft",
        "vm-new-messages": "nieuwe berichten.",
        "vm-no-messages": "U heeft geen nieuwe berichten.",
        "vm-menu": "Druk 1 om het bericht opnieuw te horen, 7 om het te wissen, of 9 om het te "
        "bewaren.",
        "vm-deleted": "Bericht gewist.",
        "vm-kept": "Bericht bewaard.",
        "vm-no-more": "Er zijn geen berichten meer.",
        "vm-greeting-hint": "Druk 0 om uw begroeting in te spreken.",
        "vm-greeting-record": "Spreek uw begroeting in na de toon, en druk op hekje als u klaar "
        "bent.",
        "vm-greeting-saved": "Uw begroeting is opgeslagen.",
    },
}
for _lang, _words in _DIGITS.items():
    TEXTS[_lang].update({f"digit-{n}": word for n, word in enumerate(_words)})

# The activity in the voicemail greeting (seed 004): "The person at extension 2 0 2 is in a
# meeting until 3 15 p m. Please leave a message ...".
TEXTS["en"].update(
    {
        "vm-is-meeting": "is in a meeting",
        "vm-is-not-present": "is not present",
        "vm-is-vacation": "is on vacation",
        "vm-is-lunch": "is at lunch",
        "vm-is-business-trip": "is on a business trip",
        "vm-is-dnd": "does not want to be disturbed",
        "vm-until": "until",
        "vm-leave": "Please leave a message after the tone, and press hash when you are done.",
        "time-am": "a m",
        "time-pm": "p m",
        **{f"number-{n}": str(n) for n in range(1, 60)},
        **{f"minute-0{n}": f"oh {_DIGITS['en'][n]}" for n in range(1, 10)},
    }
)
TEXTS["nl"].update(
    {
        "vm-is-meeting": "is in een vergadering",
        "vm-is-not-present": "is niet aanwezig",
        "vm-is-vacation": "is op vakantie",
        "vm-is-lunch": "is aan het lunchen",
        "vm-is-business-trip": "is op zakenreis",
        "vm-is-dnd": "wil niet gestoord worden",
        "vm-until": "tot",
        "vm-leave": "Spreek een bericht in na de toon, en druk op hekje als u klaar bent.",
        "time-uur": "uur",
        **{f"number-{n}": str(n) for n in range(60)},
    }
)

# Leaving voicemail (seed 004): "press 1 for personal assistance", "press 2 to bypass voicemail",
# and the greeting of a group inbox.
TEXTS["en"].update(
    {
        "vm-press-1-assist": "For personal assistance, press 1.",
        "vm-press-2-bypass": "To ring the person once more, press 2.",
        "vm-group-unavailable": "Nobody can take your call right now. Please leave a message "
        "after the tone, and press hash when you are done.",
    }
)
TEXTS["nl"].update(
    {
        "vm-press-1-assist": "Voor persoonlijke assistentie, druk 1.",
        "vm-press-2-bypass": "Om de persoon nogmaals te bellen, druk 2.",
        "vm-group-unavailable": "Er is op dit moment niemand beschikbaar. Spreek een bericht in "
        "na de toon, en druk op hekje als u klaar bent.",
    }
)

# ACD queues (seed 004 "ACD-grupper"): the welcome, the caller's place and expected wait, and
# the confirmation of *11*<code>* / **11*<code>*.
TEXTS["en"].update(
    {
        "queue-welcome": "Thank you for calling. Please hold, you will be helped shortly.",
        "queue-position": "You are caller number",
        "queue-wait": "Your expected waiting time is about",
        "queue-minute": "minute.",
        "queue-minutes": "minutes.",
        "queue-logged-in": "You are logged in to the queue.",
        "queue-logged-out": "You are logged out of the queue.",
        "queue-closed": "We are closed at the moment. Please call again during opening hours.",
        "queue-busy": "The person you are calling is on the phone. Please hold.",
    }
)
TEXTS["nl"].update(
    {
        "queue-welcome": "Bedankt voor uw oproep. Een ogenblik geduld, u wordt zo geholpen.",
        "queue-position": "U bent beller nummer",
        "queue-wait": "Uw verwachte wachttijd is ongeveer",
        "queue-minute": "minuut.",
        "queue-minutes": "minuten.",
        "queue-logged-in": "U bent aangemeld bij de wachtrij.",
        "queue-logged-out": "U bent afgemeld bij de wachtrij.",
        "queue-closed": "Wij zijn op dit moment gesloten. Belt u terug tijdens openingstijden.",
        "queue-busy": "De persoon die u belt is in gesprek. Een ogenblik geduld.",
    }
)

Samples = npt.NDArray[np.float64]


def _write(path: Path, samples: Samples) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    pcm = np.clip(np.rint(samples * 32767), -32768, 32767).astype("<i2")
    with wave.open(str(path), "wb") as wav:
        wav.setnchannels(1)
        wav.setsampwidth(2)
        wav.setframerate(RATE)
        wav.writeframes(pcm.tobytes())


def _speak(text: str, language: str) -> Samples:
    """espeak-ng's rendering of ``text`` as float samples at RATE, trimmed and normalised."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "say.wav"
        cmd = ["espeak-ng", "-v", _VOICES[language], "-s", str(_SPEED_WPM), "-p", str(_PITCH)]
        subprocess.run([*cmd, "-w", str(out), text], check=True)
        with wave.open(str(out), "rb") as wav:
            rate = wav.getframerate()
            raw = np.frombuffer(wav.readframes(wav.getnframes()), dtype="<i2")
    samples = soxr.resample(raw.astype(np.float64) / 32768, rate, RATE, quality="VHQ")
    loud = np.flatnonzero(np.abs(samples) > 0.01)
    samples = samples[loud[0] : loud[-1] + 1] if len(loud) else samples
    samples = samples / max(1e-9, float(np.max(np.abs(samples)))) * 10 ** (_PEAK_DBFS / 20)
    pad = np.zeros(int(_PAD_S * RATE))
    return np.concatenate([pad, samples, pad])


def _note(freq: float, seconds: float, attack: float, decay: float) -> Samples:
    t = np.arange(int(RATE * seconds)) / RATE
    tone = np.sin(2 * np.pi * freq * t) + 0.25 * np.sin(4 * np.pi * freq * t)
    release = np.minimum(1.0, (seconds - t) / 0.25)
    return tone * np.minimum(1.0, t / attack) * np.exp(-t * decay) * release


def music() -> Samples:
    """Eight bars of soft chords (Cmaj7 Am7 Dm7 G7, twice) with bass and arpeggio; loops cleanly."""
    bar = 2.4
    chords = (
        (261.63, 329.63, 392.00, 493.88),  # Cmaj7
        (220.00, 261.63, 329.63, 392.00),  # Am7
        (293.66, 349.23, 440.00, 523.25),  # Dm7
        (196.00, 246.94, 293.66, 349.23),  # G7
    )
    out = np.zeros(int(RATE * bar * 2 * len(chords)))
    for n, chord in enumerate(chords * 2):
        start = int(n * bar * RATE)
        pad = np.sum([_note(f, bar, 0.35, 0.4) for f in chord], axis=0) * 0.12
        bass = _note(chord[0] / 2, bar, 0.02, 1.2) * 0.25
        out[start : start + len(pad)] += pad + bass
        step = bar / 8
        for k in range(8):
            freq = chord[(0, 1, 2, 3, 2, 1, 2, 3)[k]] * 2
            pluck = _note(freq, step * 2, 0.005, 4.0) * 0.1
            at = start + int(k * step * RATE)
            index = (at + np.arange(len(pluck))) % len(out)  # the last notes ring into the loop
            out[index] += pluck
    return out / float(np.max(np.abs(out))) * 10 ** (-9.0 / 20)


def beep() -> Samples:
    """The voicemail tone before recording: 1 kHz for 0.4 s with soft edges."""
    t = np.arange(int(RATE * 0.4)) / RATE
    edge = np.minimum(1.0, np.minimum(t, t[-1] - t) / 0.01)
    tone: Samples = np.sin(2 * np.pi * 1000.0 * t) * edge * 10 ** (-6.0 / 20)
    return tone


def build(root: Path = PROMPTS) -> list[Path]:
    """Write every prompt of every language and the music; the files written."""
    written = []
    for language, texts in TEXTS.items():
        for name, text in texts.items():
            path = root / language / f"{name}.wav"
            _write(path, _speak(text, language))
            written.append(path)
        path = root / language / "beep.wav"
        _write(path, beep())
        written.append(path)
    path = root / "music" / "default.wav"
    _write(path, music())
    written.append(path)
    return written


if __name__ == "__main__":
    for file in build():
        print(file.relative_to(PROMPTS.parents[1]), file=sys.stderr)
