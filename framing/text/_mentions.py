"""Mentions of actors in one article: names, titles and pronouns, each resolved with a reason.

Explicit names and descriptions come from the actor file. Nominal titles tied to an office
("the US president") resolve to the office holder on the article's date. "The president"
resolves to a president named in the nearest sentence before it that names one (within the
paragraph, then the two paragraphs before), preferring that sentence's subject; failing that,
to the holder of its default office. He / him / his resolve to a male (or unknown) person:
within the sentence to its subject, at the start of a sentence to the subject of the sentence
before. People the actor file does not declare ("Sen. Maria Santos", "Dmitry Peskov accused")
are noticed too, so a pronoun that refers to one of them is not given to a declared actor.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import dataclass

from framing.text._actors import ActorSet
from framing.text._sentences import Sentence

_PRONOUN = re.compile(r"\b(?:[Hh]e|[Hh]im|[Hh]is|[Hh]imself)\b")
_REPORTING = re.compile(
    r"^[\s,]*(?:has |had |have |was |also |then |later |quickly |repeatedly |again |"
    r"himself |personally |reportedly |privately |publicly )*"
    r"(?:said|says|told|tells|added|adds|argued|argues|insisted|insists|claimed|claims|warned|"
    r"warns|wrote|writes|tweeted|posted|declared|declares|announced|announces|noted|notes|"
    r"stated|suggested|suggests|predicted|predicts|promised|promises|vowed|vows|urged|urges|"
    r"called|calls|asked|asks|demanded|demands|threatened|threatens|pledged|pledges|signaled|"
    r"signalled|signals|hinted|hints|boasted|boasts|complained|complains|met|meets|spoke|"
    r"speaks|wants|wanted|believes|believed|thinks|thought|did|does|would|will|could|can|"
    r"may|might|is|was|has|had|accused|accuses|questioned|questions|praised|praises|"
    r"criticized|criticised|dismissed|rejected|welcomed|sought|seeks|went|made|took|"
    r"appeared|seemed|struck|sent|signed|visited|returned|arrived|left|agreed|refused|"
    r"declined|denied|defended|pushed|pressed|offered|floated|raised|repeated|renewed)\b"
)
_FEMALE = re.compile(
    r"^(?:Mrs|Ms|Miss|Madam|Congresswoman|Chairwoman|Spokeswoman|spokeswoman|Queen|Lady)\b"
)
_NAME = r"[A-Z][a-z'’-]+(?:-[A-Z][a-z]+)?"
_OTHER_PERSON = re.compile(
    # An honorific or a role, then a capitalized name: "Sen. Maria Santos", "Secretary Rubio".
    r"\b(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen|Lt|Col|Adm|Amb|Sgt|Capt|Prof)\.\s+"
    + _NAME + r"(?:\s+" + _NAME + r")?"
    + r"|\b(?:Senator|Secretary|Ambassador|Governor|Chancellor|Speaker|Judge|Justice|"
    r"Chairman|Chairwoman|Congressman|Congresswoman|General|Admiral|Mayor|Representative|"
    r"Prosecutor|spokesman|spokeswoman|adviser|advisor|aide|envoy|lawyer|counsel|"
    r"Minister|minister)\s+" + _NAME + r"(?:\s+" + _NAME + r"){0,2}"
    # Or two or three capitalized words that read like a name: "Dmitry Peskov accused".
    + r"|\b" + _NAME + r"(?:\s+[A-Z]\.)?\s+" + _NAME + r"(?:\s+" + _NAME + r")?"
)
# Capitalized word pairs that are places, institutions or sentence openers, not people.
_NOT_FIRST = frozenset(
    "The A An In On At For But And If As When After Before While Since Under Over With From "
    "This That These Those Some Many Most Several Both Each Every No Not Only Even Still Yet "
    "New North South East West Northern Southern Eastern Western Central United European "
    "White Supreme Oval State Defense Defence Foreign Justice Security Red Wall Capitol Air "
    "Prime Vice Former Senate House Republican Republicans Democrat Democratic Democrats "
    "Russian Ukrainian American British French German Finnish Italian Polish Chinese "
    "Black Middle Great Saudi Gulf Baltic Pacific Atlantic Arctic Islamic Catholic Christian "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April May "
    "June July August September October November December Congress Kremlin Pentagon NATO "
    "Mr Mrs Ms Dr President Chancellor".split()
)
_NOT_LAST = frozenset(
    "House Office Department Ministry Council Union States Court Street Nations Committee "
    "Party Agency Service Force Forces Army Navy Guard Bank Fund Post Times News Daily Review "
    "Courier Signal Hill Kingdom Republic Federation Assembly Parliament Commission Institute "
    "University College School Center Centre Group Company Corporation Association Alliance "
    "Coalition Treaty Plan Summit Conference Forum Airport Square Palace Tower Building Sea "
    "Ocean River Island Islands Peninsula Region Oblast City County Valley Mountains Desert "
    "Administration Campaign Organization Foundation Times Journal Herald Tribune Press "
    "Television Radio Network Channel Media Line Ledger Continental Meridian Harbor Northfield "
    "Capitol Street Day Week Month Year War Wars Front Gate Minister Ministers Secretary "
    "Cabinet Parliament Senate Congress Guards Command Initiative Act Bill".split()
)
# Words that read like a surname before "said" or "'s" but name places, groups or institutions.
_NOT_SURNAME = _NOT_FIRST | _NOT_LAST | frozenset(
    "Russia Ukraine America Europe China Iran Iraq Israel Syria Turkey Germany France Britain "
    "England Italy Poland Finland Hungary Japan Korea India Mexico Canada Cuba Venezuela "
    "Afghanistan Pakistan Qatar Egypt Libya Belarus Georgia Crimea Donbas Moscow Kyiv Kiev "
    "Washington Beijing London Paris Berlin Brussels Rome Warsaw Tehran Jerusalem Anchorage "
    "Alaska Texas Florida California Ohio Michigan Pennsylvania Virginia Arizona Nevada Iowa "
    "Wisconsin Carolina York Jersey Massachusetts Illinois Minnesota Colorado Utah Kentucky "
    "Tennessee Alabama Louisiana Missouri Indiana Maryland Oregon Idaho Montana Kansas Maine "
    "Vermont Hawaii Delaware Connecticut Oklahoma Arkansas Nebraska Wyoming Mississippi "
    "Congress NATO Kremlin Pentagon Senate Democrats Republicans GOP FBI CIA DOJ NSA Trump "
    "Facebook Google Twitter Amazon Apple Microsoft Fox CNN MSNBC NBC ABC CBS NPR Reuters AP "
    "Politico Axios Breitbart Bloomberg Obamacare Medicare Medicaid Brexit Christmas Easter "
    "Officials Critics Analysts Investigators Prosecutors Lawmakers Others Experts Aides "
    "Witnesses Sources Officers Agents Voters Protesters Leaders Europeans Americans Russians "
    "Ukrainians Trumpism God Jesus Allah Twitter TV".split()
)
_SURNAME_BEFORE = re.compile(
    r"\b(?P<name>[A-Z][a-z]+(?:-[A-Z][a-z]+)?)(?=['’]s\s+[a-z]|,?\s+(?:said|says|told|added|"
    r"argued|wrote|testified|tweeted|noted|warned|insisted|claimed|asked|answered|replied|"
    r"explained|acknowledged|admitted|denied|responded|recalled|conceded|countered)\b)"
)
_ROLE_PERSON = re.compile(
    r"\b[Tt]he\s+(?:(?:former|then|top|senior|chief|[A-Z][a-z]+|[a-z]+-[a-z]+)\s+){0,3}"
    r"(?P<role>senator|congressman|congresswoman|lawmaker|judge|lawyer|attorney|governor|mayor|"
    r"chairman|chairwoman|director|adviser|advisor|ambassador|envoy|diplomat|spokesman|"
    r"spokeswoman|prosecutor|counsel|colonel|general|admiral|officer|guy|man|woman|witness|"
    r"whistleblower|billionaire|businessman|businesswoman|host|anchor|columnist|author|"
    r"professor|analyst|veteran|priest|pastor|pundit|strategist|activist|secretary|minister|"
    r"chancellor|premier|prime minister|foreign minister|speaker|candidate|nominee|senator-elect)"
    r"\b"
)
_MALE_ROLE = frozenset({"congressman", "chairman", "spokesman", "guy", "man", "businessman"})
_FEMALE_ROLE = frozenset({"congresswoman", "chairwoman", "spokeswoman", "woman",
                          "businesswoman"})
_PRESIDENT_TITLE = re.compile(r"\bPresident\s+$")
_AHEAD = "the subject named after the opening phrase"

#: Confidence of each way of resolving; a mention below a caller's threshold is not counted.
CONFIDENCE = {
    "name": 1.0,
    "pattern": 1.0,
    "description": 0.95,
    "office": 0.95,
    "generic_sentence": 0.9,
    "generic_nearby": 0.75,
    "generic_in_office": 0.6,
    "pronoun_single": 0.9,
    "pronoun_subject": 0.75,
    "pronoun_far": 0.55,
}


@dataclass
class Mention:
    """One reference: where, what was written, to whom it resolves, how and how surely."""

    sentence_id: int
    start: int
    end: int
    surface: str
    actor: str | None  # None: a person the actor file does not declare, or unresolved
    resolved_by: str  # explicit / title / pronoun / not_actor / institution
    confidence: float
    reason: str


@dataclass
class _Person:
    """A reference to a person seen so far: a declared actor or an undeclared ``other``."""

    actor: str | None
    gender: str | None
    sentence_id: int
    paragraph_id: int
    start: int
    end: int
    is_president: bool


def _looks_like_person(name: str) -> bool:
    words = [w for w in re.split(r"\s+", name) if not re.fullmatch(r"[A-Z]\.", w)]
    return (len(words) >= 2 and words[0] not in _NOT_FIRST and words[-1] not in _NOT_LAST
            and not any(w in _NOT_LAST for w in words))


def _spans(actors: ActorSet, text: str) -> list[tuple[int, int, str, str]]:
    """Every listed surface, every undeclared person and every pronoun, in text order."""
    found = [(m.start(), m.end(), m.group(), actors.by_surface[m.group()].kind)
             for m in actors.matcher.finditer(text)]
    for pattern, _surface in actors.pattern_surfaces:
        for match in pattern.finditer(text):
            if not any(s < match.end() and match.start() < e for s, e, _, _ in found):
                found.append((match.start(), match.end(), match.group(), "pattern"))
    taken = [(s, e) for s, e, _, _ in found]

    def free(start: int, end: int) -> bool:
        return not any(s < end and start < e for s, e in taken)

    def add(start: int, end: int, surface: str, kind: str) -> None:
        found.append((start, end, surface, kind))
        taken.append((start, end))

    surnames: set[str] = set()
    for match in _OTHER_PERSON.finditer(text):
        if not free(match.start(), match.end()):
            continue
        surface = match.group()
        plain_name = not re.match(r"[A-Z][a-z]+\.\s", surface) and surface.split()[0] not in (
            "Senator", "Secretary", "Ambassador", "Governor", "Chancellor", "Speaker", "Judge",
            "Justice", "Chairman", "Chairwoman", "Congressman", "Congresswoman", "General",
            "Admiral", "Mayor", "Representative", "Prosecutor", "Minister",
        ) and not surface[0].islower()
        if plain_name and not _looks_like_person(surface):
            continue
        add(match.start(), match.end(), surface, "other")
        last = surface.split()[-1]
        if last not in _NOT_SURNAME:
            surnames.add(last)
    for match in _ROLE_PERSON.finditer(text):
        if free(match.start(), match.end()):
            add(match.start(), match.end(), match.group(), "other")
    # A surname alone names the same undeclared person again ("Vindman" after "Alexander
    # Vindman"); so does a capitalized word before "said" or "'s" that the text never uses
    # in lower case and that is no known place or institution ("Kavanaugh said").
    lower_words = set(re.findall(r"\b[a-z]+\b", text))
    for match in _SURNAME_BEFORE.finditer(text):
        name = match.group("name")
        if name not in _NOT_SURNAME and name.lower() not in lower_words:
            surnames.add(name)
    if surnames:
        pattern = re.compile(r"\b(?:" + "|".join(map(re.escape, sorted(surnames))) + r")\b")
        for match in pattern.finditer(text):
            if free(match.start(), match.end()):
                add(match.start(), match.end(), match.group(), "other")
    found += [(m.start(), m.end(), m.group(), "pronoun") for m in _PRONOUN.finditer(text)]
    return sorted(found)


def find_mentions(
    text: str,
    sentences: list[Sentence],
    actors: ActorSet,
    *,
    day: dt.date | None = None,
) -> list[Mention]:
    """Every reference to a person in ``text``, in order, each resolved with a reason.

    Examples
    --------
    >>> from framing.text import load_actors, split_sentences
    >>> text = "Zelensky spoke in Kyiv. The president said he wanted peace. Mr. Trump agreed."
    >>> found = find_mentions(text, split_sentences(text), load_actors(),
    ...                       day=dt.date(2025, 8, 18))
    >>> [(m.surface, m.actor, m.resolved_by) for m in found]
    [('Zelensky', 'zelensky', 'explicit'), ('The president', 'zelensky', 'title'), \
('he', 'zelensky', 'pronoun'), ('Trump', 'trump', 'explicit')]
    """
    starts = [s.start for s in sentences]
    mentions: list[Mention] = []
    people: list[_Person] = []
    spans = _spans(actors, text)
    for position, (start, end, surface, kind) in enumerate(spans):
        index = bisect.bisect_right(starts, start) - 1
        if index < 0 or start >= sentences[index].end:
            continue
        sentence = sentences[index]
        if kind == "pronoun":
            mention = _cataphora(actors, text, spans, position, sentence, people, day)
            if mention is None:
                mention = _resolve_pronoun(text, start, end, surface, sentence, people,
                                           sentences)
        else:
            mention = _resolve_nominal(actors, start, end, surface, kind, sentence, people,
                                       day, text)
        if mention is None:
            continue
        mentions.append(mention)
        if mention.resolved_by in ("explicit", "title", "pronoun") or kind in (
            "other", "namesake"
        ):
            if mention.actor is not None:
                gender = actors.actors[mention.actor].gender
            elif kind == "namesake":
                gender = actors.namesake_gender.get(surface)
            else:
                gender = _other_gender(surface)
            is_president = mention.actor is not None and (
                actors.president_kind(mention.actor, day)
                or bool(_PRESIDENT_TITLE.search(text[max(0, start - 10):start]))
                or mention.reason.startswith("the president")
            )
            people.append(_Person(mention.actor, gender, sentence.sentence_id,
                                  sentence.paragraph_id, start, end, is_president))
    return mentions


def _other_gender(surface: str) -> str | None:
    if _FEMALE.match(surface):
        return "female"
    role = _ROLE_PERSON.fullmatch(surface)
    if role is not None:
        word = role.group("role")
        return "male" if word in _MALE_ROLE else "female" if word in _FEMALE_ROLE else None
    return None


def _subject(candidates: list[_Person], text: str) -> _Person:
    """The person a clause is about: the one before a reporting verb, else the first named."""
    for person in candidates:
        if _REPORTING.match(text[person.end:person.end + 60]):
            return person
    return candidates[0]


def _resolve_nominal(
    actors: ActorSet, start: int, end: int, surface: str, kind: str, sentence: Sentence,
    people: list[_Person], day: dt.date | None, text: str,
) -> Mention:
    def make(actor: str | None, how: str, key: str, reason: str) -> Mention:
        return Mention(sentence.sentence_id, start, end, surface, actor, how,
                       CONFIDENCE.get(key, 1.0), reason)

    if kind == "other":
        return make(None, "not_actor", "name", "a person the actor file does not declare")
    if kind == "pattern":
        target = next(s.target for p, s in actors.pattern_surfaces if p.fullmatch(surface))
    else:
        target = actors.by_surface[surface].target
    if kind in ("name", "pattern"):
        return make(target, "explicit", kind, f"name of {target}")
    if kind == "description":
        return make(target, "title", "description", f"a description of {target}")
    if kind == "exclude":
        return make(None, "not_actor", "name", f"contains a name of {target} but is not them")
    if kind == "namesake":
        return make(None, "not_actor", "name", f"a namesake of {target}")
    if kind == "institution":
        if actors.count_institution:
            return make(target, "institution", "name", f"the institution of {target}, counted")
        return make(None, "institution", "name",
                    f"the institution of {target}; not counted (count_institution: false)")
    if kind == "office":
        holder = actors.offices[target].holder_on(day)
        if holder is None:
            return make(None, "title", "office",
                        f"no declared holder of {target} on {day or 'an unknown date'}")
        return make(holder, "title", "office", f"holder of {target} on {day}")
    # generic: "the president" -- the nearest earlier sentence that names a president
    presidents = [p for p in people if p.is_president
                  and sentence.paragraph_id - p.paragraph_id <= 2]
    if presidents:
        nearest = presidents[-1].sentence_id
        in_nearest = [p for p in presidents if p.sentence_id == nearest]
        chosen = _subject(in_nearest, text)
        same_paragraph = presidents[-1].paragraph_id == sentence.paragraph_id
        key = "generic_sentence" if same_paragraph else "generic_nearby"
        where = "this paragraph" if same_paragraph else "the two paragraphs before"
        return make(chosen.actor, "title", key,
                    f"the president named last in {where} (the subject there)")
    _, default_office = actors.generic[target]
    holder = actors.offices[default_office].holder_on(day) if default_office else None
    if holder is not None:
        return make(holder, "title", "generic_in_office",
                    f"no president named nearby: the holder of {default_office} on {day}")
    return make(None, "title", "generic_in_office", "no president to refer to")


def _cataphora(
    actors: ActorSet, text: str, spans: list[tuple[int, int, str, str]], position: int,
    sentence: Sentence, people: list[_Person], day: dt.date | None,
) -> Mention | None:
    """A pronoun in an opening phrase refers ahead: "In his address, Zelensky said ..."."""
    start, end, surface, _ = spans[position]
    if any(p.sentence_id == sentence.sentence_id for p in people):
        return None  # someone was already named in this sentence: not an opening phrase
    comma = text.find(",", end, sentence.end)
    if comma < 0:
        return None
    for next_start, next_end, next_surface, kind in spans[position + 1:]:
        if next_start >= sentence.end:
            return None
        if kind == "pronoun":
            continue
        if next_start < comma or kind not in ("name", "description", "other", "namesake"):
            return None
        if not _REPORTING.match(text[next_end:next_end + 60]):
            return None
        if kind in ("name", "description"):
            actor = actors.by_surface[next_surface].target
            if actors.actors[actor].gender == "female":
                return None
            return Mention(sentence.sentence_id, start, end, surface, actor, "pronoun",
                           CONFIDENCE["pronoun_subject"], _AHEAD)
        if kind == "namesake" and actors.namesake_gender.get(next_surface) == "female":
            return None
        if kind == "other" and _FEMALE.match(next_surface):
            return None
        return Mention(sentence.sentence_id, start, end, surface, None, "not_actor",
                       CONFIDENCE["pronoun_subject"], _AHEAD)
    return None


def _resolve_pronoun(
    text: str, start: int, end: int, surface: str, sentence: Sentence,
    people: list[_Person], sentences: list[Sentence],
) -> Mention | None:
    def make(person: _Person, key: str, reason: str) -> Mention:
        how = "pronoun" if person.actor is not None else "not_actor"
        return Mention(sentence.sentence_id, start, end, surface, person.actor, how,
                       CONFIDENCE[key], reason)

    compatible = [p for p in people if p.gender != "female"]
    in_sentence = [p for p in compatible
                   if p.sentence_id == sentence.sentence_id and p.end <= start]
    if in_sentence:
        chosen = _subject(in_sentence, text)
        single = len({p.actor for p in in_sentence}) == 1
        return make(chosen, "pronoun_single" if single else "pronoun_subject",
                    "the subject of this sentence")
    for back in (1, 2):
        previous_id = sentence.sentence_id - back
        if previous_id < 0:
            break
        previous = sentences[previous_id]
        if sentence.paragraph_id - previous.paragraph_id > 1:
            break
        before = [p for p in compatible if p.sentence_id == previous_id]
        if not before:
            continue
        chosen = _subject(before, text)
        several = len({p.actor for p in before}) > 1
        key = "pronoun_far" if back == 2 else "pronoun_subject" if several else "pronoun_single"
        where = "the sentence before" if back == 1 else "two sentences before"
        return make(chosen, key, f"the subject of {where}")
    return None
