"""A brief in words: a paragraph in the style of the original data set, and a short prompt.

Works from the brief and the reading alone (no hidden state), so the pipeline can rewrite the text
after a user edits the brief. Sentence templates are picked by the brief's seed, so two briefs rarely
read the same, and one brief always reads the same.
"""

from __future__ import annotations

import random
import re

from ..contracts import ImageReading, MusicBrief
from ..genres import GENRES, ROLES
from ..instruments import KITS
from ..words import join_en, main_colours
from .description_ko import describe_ko
from .keywords import hints

__all__ = ["describe", "describe_ko", "description_text", "prompt_text"]

MIN_WORDS, MAX_WORDS = 70, 140   # as the data set's paragraphs run; the templates are written to stay inside
MAX_PROMPT = 199
NO_DRUMS_PROMPT = "no drums"       # a kit's own words are in melodify.instruments.KITS

OPENINGS = (
    "{label}: This {adj} {noun} track feels {m1} and {m2}, much like {scene}.",
    "{label}: Inspired by {scene}, this {noun} piece is {m1} and {m2} from its very first bar.",
    "{label}: This {adj} {noun} track captures {scene}, at once {m1} and {m2}.",
)
COLOURS = (
    "The {colours} tones of the photo colour every bar, keeping the sound {w2} and {w3}.",
    "Like the {colours} hues of the picture, the arrangement stays {w2} and {w3}.",
    "Its palette of {colours} shapes the sound, which stays {w2} and {w3} throughout.",
)
# Used when the opening took the keywords' phrases: here the caption itself gets its word.
COLOURS_WITH_SUBJECT = (
    "The photo shows {subject} in {colours} tones, and the sound stays {w2} and {w3} to match.",
    "Drawn from a picture of {subject} in {colours} hues, the arrangement stays {w2} and {w3}.",
    "Like the {colours} hues around {subject}, the sound stays {w2} and {w3} throughout.",
)
_TRAILING = {"a", "an", "the", "and", "with", "in", "on", "of", "at", "by", "to", "against", "while", "under"}
INTROS = (
    "The piece opens with {lead} tracing a simple motif over {chords}, while {bass} settles in underneath.",
    "It begins quietly: {chords} lays down the harmony, {bass} joins, and {lead} introduces the main theme.",
    "A short intro lets {chords} set the scene before {lead} enters with a melody that {bass} answers.",
)
SOLO_INTRO = "The piece opens with {lead} alone, tracing a simple motif and then answering it in chords."
PULSES = (
    "Moving at {tempo} bpm in {key}, {kit} {groove}{meter}.",
    "At {tempo} bpm in {key}, {kit} {groove}{meter}.",
    "Set at {tempo} bpm in {key}, the track lets {kit} {groove}{meter}.",
)
BUILDS = (
    "As it unfolds, {pad} swells beneath the melody and the motif returns, varied, building to a {peak} peak.",
    "In the middle section the motif comes back with new turns while {pad} rises, "
    "lifting the track to a {peak} high point.",
    "The second half brings the theme back, varied, with {pad} filling out the space toward a {peak} climax.",
)
ENDINGS = (
    "It closes {ending}, leaving {m_last_a} afterglow.",
    "Finally it winds down {ending}, as {m_last} as the photo itself.",
    "The track ends {ending}, {m_last_a} last look at the picture.",
)


def _article(phrase: str) -> str:
    if phrase.endswith(("strings", "brass")):   # "over strings", not "over a strings"
        return phrase
    return f"{'an' if phrase[:1].lower() in 'aeiou' else 'a'} {phrase}"


NO_SUBJECT = "the scene in the photo"
_LEAD_IN = r"^(an? )?([\w-]+,? ){0,4}?(photo|picture|image|shot|view)"


def _caption_scene(caption: str, max_words: int = 12) -> str:
    """'A photo of a red car, parked.' -> 'a red car': its first clause, at most max_words words;
    NO_SUBJECT for a caption that names none ('A dim, warm photo in orange and red')."""
    text = caption.split(" — ")[0].strip().rstrip(".!")
    # Korean: an English paragraph names the scene through keywords instead.
    if re.search("[가-힣]", text) or re.match(_LEAD_IN + r"\b(?! of )", text, flags=re.I):
        return NO_SUBJECT
    # "A dim, cool photo of ..." and "A photo of ..." both lose their lead-in.
    text = re.sub(_LEAD_IN + " of ", "", text, flags=re.I)
    clause = text.split(",")[0]
    words = (clause if len(clause.split()) >= 3 else text).split()[:max_words]
    while len(words) > 1 and words[-1].lower().strip(",;:") in _TRAILING:
        words.pop()
    words = [w.strip(",;:") for w in words]
    if not words:
        return NO_SUBJECT
    words[0] = words[0] if words[0].isupper() and len(words[0]) > 1 else words[0].lower()
    return " ".join(words)


def scene(reading: ImageReading) -> str:
    """What the photo shows, in a phrase: the keywords' phrases, else the caption's subject, else
    (a caption about light and colour only, which other sentences say) how the photo looks."""
    phrases = hints(reading).phrases
    if phrases:
        return phrases[0] if len(phrases) == 1 else f"{phrases[0]} and {phrases[1]}"
    subject = _caption_scene(reading.caption)
    return look(reading) if subject == NO_SUBJECT else subject


def look(reading: ImageReading) -> str:
    """'a dim, warm scene': how the photo's light and colour temperature feel."""
    light = next(word for bound, word in ((0.25, "dark"), (0.45, "dim"), (0.7, "softly lit"), (1.01, "bright"))
                 if reading.brightness < bound)
    warmth = "cool" if reading.warmth < -0.15 else "warm" if reading.warmth > 0.15 else ""
    return f"a {light}, {warmth} scene" if warmth else f"a {light} scene"


def palette_words(reading: ImageReading) -> str:
    """The main colours, each family once: 'deep blue, orange and cream'."""
    names = [c.name for c in main_colours(reading.palette, reading.palette_weights, 3)]
    return join_en(names) if names else "light-and-shadow"


def _roles(instruments: list[str]) -> dict[str, str]:
    """Instruments by role, in ROLES order; a short list leaves the later roles to the first ones."""
    named = {role: instruments[i] for i, role in enumerate(ROLES) if i < len(instruments)}
    lead = named.get("lead", instruments[0])
    return {
        "lead": _article(lead),
        "chords": _article(named.get("chords", lead)),
        "bass": "the " + named.get("bass", "low end"),
        "pad": _bed(named["pad"]) if "pad" in named else "the harmony",
    }


def _bed(pad: str) -> str:
    return _article(pad) if pad.endswith("pad") else f"a bed of {pad}"


def _extras(instruments: list[str]) -> str:
    extra = instruments[len(ROLES):]
    if not extra:
        return ""
    names = ", ".join(extra[:-1]) + (" and " if len(extra) > 1 else "") + extra[-1]
    return f" Touches of {names} add colour along the way."


def _peak(energy: float) -> str:
    return "soaring" if energy > 0.7 else "warm, glowing" if energy > 0.4 else "gentle"


def _ending(energy: float) -> str:
    if energy > 0.7:
        return "on one last, ringing chord"
    if energy > 0.4:
        return "as the parts drop away one by one"
    return "by fading slowly into silence"


def describe(brief: MusicBrief, reading: ImageReading) -> tuple[str, str]:
    """(description, prompt) for a brief and the reading it came from."""
    return description_text(brief, reading), prompt_text(brief)


def description_text(brief: MusicBrief, reading: ImageReading) -> str:
    genre = GENRES[brief.genre]
    rng = random.Random(f"{brief.seed}:describe")
    moods = [m.strip() for m in brief.mood if m.strip()] or ["evocative"]
    words = list(genre.words) + ["vivid", "clear"]
    roles = _roles(brief.instruments)
    meter = ", in a lilting three-four time" if brief.time_signature == "3/4" else ""
    subject = _caption_scene(reading.caption, max_words=10)
    # The embedded reader's caption is itself about colours and light, so only a real captioner's
    # caption ("a woman in a white shirt...") is worth quoting beside the palette.
    with_subject = bool(hints(reading).phrases) and reading.engine != "embedded" and subject != NO_SUBJECT
    fields = dict(
        label=genre.label, noun=genre.noun, adj=words[0], scene=scene(reading),
        subject=subject, m1=moods[0], m2=moods[1] if len(moods) > 1 else words[1],
        m_last=moods[-1] if len(moods) > 2 else moods[1] if len(moods) > 1 else words[1],
        w2=words[1], w3=words[2],
        colours=palette_words(reading), tempo=brief.tempo, key=brief.key_name,
        kit=KITS[genre.kit].phrase if genre.kit else "", groove="keep a steady pulse", meter=meter,
        peak=_peak(brief.energy), ending=_ending(brief.energy), **roles,
    )
    if genre.kit is None:
        pulse = ("At {tempo} bpm in {key}, there are no drums; the pulse lives in "
                 "{chords} and {bass}{meter}.")
    else:
        pulse = rng.choice(PULSES)
    templates = [
        rng.choice(OPENINGS),
        rng.choice(COLOURS_WITH_SUBJECT if with_subject else COLOURS),
        rng.choice(INTROS) if len(brief.instruments) > 1 else SOLO_INTRO,
        pulse,
        rng.choice(BUILDS),
        rng.choice(ENDINGS),
    ]
    fields["m_last_a"] = _article(fields["m_last"])
    sentences = [t.format(**fields) for t in templates]
    sentences[4] += _extras(brief.instruments)
    # Long user-typed moods or captions can push past the limit: drop the optional sentences.
    for optional in (None, 1, 4):
        if optional is not None:
            sentences[optional] = ""
        text = " ".join(s[0].upper() + s[1:] for s in sentences if s)
        if len(text.split()) <= MAX_WORDS:
            break
    return text


def prompt_text(brief: MusicBrief) -> str:
    """A short text-to-music prompt: 'lo-fi, dusty, wistful, electric piano, brushed drums, 78 bpm, A minor'."""
    genre = GENRES[brief.genre]
    drums = KITS[genre.kit].prompt if genre.kit else NO_DRUMS_PROMPT
    parts = [genre.noun, genre.words[0], *brief.mood[:2], *brief.instruments[:3], drums]
    if brief.time_signature == "3/4":
        parts.append("3/4 time")
    tail = [f"{brief.tempo} bpm", brief.key_name]
    while len(", ".join(parts + tail)) > MAX_PROMPT and len(parts) > 1:
        parts.pop(-2 if len(parts) > 2 else -1)
    return ", ".join(parts + tail)[:MAX_PROMPT]
