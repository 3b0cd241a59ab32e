"""Every format decodes back with real decoders (libsndfile; FFmpeg for MP3) to the same length,
-14 LUFS and <= -1 dBTP, and the same audio always gives the same bytes."""

import io
import shutil
import subprocess

import numpy as np
import pyloudnorm
import pytest
import soundfile as sf
from scipy.signal import resample_poly

from melodify.contracts import Audio
from melodify.errors import InvalidOption
from melodify.master.encode import FORMATS, encode
from melodify.master.mastering import master_audio

RATE = 44100


def mastered() -> Audio:
    """15 s of a bright, dense mix, mastered: the hardest case for codec overshoot."""
    rng = np.random.default_rng(7)
    t = np.arange(16 * RATE) / RATE
    beat = t % 0.5
    saw = 2 * ((t * 220.0) % 1.0) - 1                                   # rich in harmonics
    kick = np.sin(2 * np.pi * 50 * t * (1 + 2 * np.exp(-beat * 30))) * np.exp(-beat * 10)
    hats = rng.normal(0, 0.3, t.size) * np.exp(-((t + 0.25) % 0.5) * 40)
    x = np.stack([0.3 * saw + kick + hats, 0.25 * saw + kick + 0.8 * hats], axis=1).astype(np.float32)
    return master_audio(Audio(x, RATE), duration=15.0)


AUDIO = mastered()


def decode(data: bytes) -> np.ndarray:
    samples, rate = sf.read(io.BytesIO(data), dtype="float64", always_2d=True)
    assert rate == RATE
    return samples


@pytest.mark.parametrize("fmt", FORMATS)
def test_every_format_decodes_to_the_same_length_loudness_and_peak(fmt):
    decoded = decode(encode(AUDIO, fmt))
    assert decoded.shape[1] == 2
    assert abs(decoded.shape[0] - AUDIO.samples.shape[0]) <= RATE // 100       # within 10 ms
    assert abs(pyloudnorm.Meter(RATE).integrated_loudness(decoded) + 14.0) <= 1.0
    assert 20 * np.log10(np.abs(resample_poly(decoded, 4, 1, axis=0)).max()) <= -1.0


@pytest.mark.parametrize("fmt", FORMATS)
def test_same_audio_gives_the_same_bytes(fmt):
    assert encode(AUDIO, fmt) == encode(AUDIO, fmt)


def test_wav_and_flac_are_lossless_16_bit():
    for fmt in ("wav", "flac"):
        decoded = decode(encode(AUDIO, fmt))
        assert np.abs(decoded - AUDIO.samples).max() <= 0.5 / 32768 + 1e-9     # rounding only
    assert sf.info(io.BytesIO(encode(AUDIO, "wav"))).subtype == "PCM_16"


def test_mp3_is_gapless_exact_length_and_in_time_for_libsndfile():
    decoded = decode(encode(AUDIO, "mp3"))
    assert decoded.shape[0] == AUDIO.samples.shape[0]            # LAME delay and padding trimmed
    reference = AUDIO.samples[:, 0].astype(np.float64)
    middle = slice(5 * RATE, 6 * RATE)
    lags = range(-20, 21)
    scores = [np.dot(reference[middle], np.roll(decoded[:, 0], -lag)[middle]) for lag in lags]
    assert list(lags)[int(np.argmax(scores))] == 0                 # not shifted by the encoder delay


def test_mp3_is_exact_length_for_ffmpeg_too(tmp_path):
    ffmpeg = shutil.which("ffmpeg")
    assert ffmpeg, "ffmpeg is missing: install it (apt-get install ffmpeg) to run this test"
    path = tmp_path / "track.mp3"
    path.write_bytes(encode(AUDIO, "mp3"))
    pcm = subprocess.run([ffmpeg, "-v", "error", "-i", str(path), "-f", "s16le", "-"],
                         capture_output=True, check=True).stdout
    assert len(pcm) // 4 == AUDIO.samples.shape[0]


def test_mp3_is_192_kbps_stereo():
    data = encode(AUDIO, "mp3")
    assert data[:2] == b"\xff\xfb"                      # MPEG-1 Layer III, no CRC
    assert data[2] >> 4 == 0b1011                       # bitrate index 11: 192 kbps
    assert abs(len(data) * 8 / 15.0 / 1000 - 192) < 5
    assert b"Info" in data[:200] and b"LAME" in data[:300]


def test_mono_audio_encodes_as_mono_and_short_audio_encodes():
    mono = Audio(AUDIO.samples[: RATE // 2, :1].copy(), RATE)
    for fmt in FORMATS:
        decoded = decode(encode(mono, fmt))
        assert decoded.shape[1] == 1 and abs(decoded.shape[0] - RATE // 2) <= RATE // 100, fmt


def test_unknown_format_is_an_error_naming_it():
    with pytest.raises(InvalidOption, match="'aiff'"):
        encode(AUDIO, "aiff")


@pytest.mark.parametrize("fmt", FORMATS)
def test_a_licence_note_goes_into_the_files_own_tag_and_the_audio_is_unchanged(fmt):
    audio = Audio(np.zeros((RATE, 2), dtype=np.float32) + 0.1, RATE)
    note = "for non-commercial use only (composer: CC-BY-NC-4.0, the MusicGen model by Meta AI)"
    tagged, plain = encode(audio, fmt, copyright=note), encode(audio, fmt)
    assert plain == encode(audio, fmt)                       # no note: the bytes as before
    if fmt == "mp3":
        assert tagged.startswith(b"ID3\x03") and note.encode() in tagged[:200]
        assert tagged.endswith(plain)
    else:
        with sf.SoundFile(io.BytesIO(tagged)) as f:
            assert f.copyright == note
    decoded, rate = sf.read(io.BytesIO(tagged))
    assert rate == RATE and abs(len(decoded) - RATE) <= (0 if fmt != "mp3" else 1)
