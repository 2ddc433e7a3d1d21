"""Mentions of actors in one article: names, titles and pronouns, each resolved with a reason.

Explicit names and descriptions come from the actor file. Nominal titles tied to an office
("the US president") resolve to the office holder on the article's date. "The president"
resolves to a president named in the nearest sentence before it that names one (within the
paragraph, then the two paragraphs before, for a president in office on that date; a titled
former president only within the paragraph; an undeclared one, "President John F. Kennedy",
too), preferring that sentence's subject; failing that, to a former holder of its default
office who is the topic of the passage when the holder is not named there ("the president" in
a paragraph on the Obama years, in 2018), else to the holder. "The president" that means the
office in general is nobody: after an indefinite "a president", in apposition to a role ("one
individual, the president"), or in a norm with a constitutional cue ("the president must be
able to ... the Executive branch").

He / him / his resolve to the most salient compatible person of this sentence and the three
before it (Lappin & Leass style salience, weights set by hand): recency, the subject or the
speaker of a speech verb, being named first, a possessive or a subordinate clause counting
less, a paragraph break loosening the link, and how often the person was referred to in that
window. Inside a quotation, its speaker is not "he"; '"...," he said' continues the last
speaker. People the actor file does not declare ("Sen. Maria Santos", "Dmitry Peskov
accused", "Kim had revealed") are noticed too, with a gender from their honorific, role, a
common female given name, or learned from a "she" or "he" that refers to them, so a pronoun
that refers to one of them is not given to a declared actor; a "he" that refers to one of
them is a reference to that person too, so a chain of pronouns stays with him. A name in
brackets after a pronoun ("he (Ayers)") settles it. Inside a quotation attributed by a
pronoun ('"He's been a loser ...," he said'), the man that attribution means is not "he".
"""

from __future__ import annotations

import bisect
import datetime as dt
import functools
import itertools
import re
from dataclasses import dataclass

from framing.text._actors import ActorSet
from framing.text._patterns import WORD_CHAR, Leftmost, at_word_start, trie_pattern
from framing.text._sentences import Sentence

_PRONOUN = re.compile(at_word_start("[Hh]", r"(?:e|im|is|imself)\b"))
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
# A name may have an inner capital: McConnell, DeSantis, O'Rourke, LaCasse (without it
# "Mitch McConnell" was read as "Mitch Mc" and McConnell was nobody). One optional group
# after the first run, not an alternation of prefixes before it, keeps the scan fast.
_WORD = r"[A-Z][a-z'’-]+(?:[A-Z][a-z'’-]+)?"
_NAME = _WORD + r"(?:-[A-Z][a-z]+)?"
# Undeclared people: the leftmost match of these three, the first winning a tie (as one
# alternation would find, but each opens on its own characters; see _patterns).
_OTHER_PERSON = (
    # An honorific or a role, then a capitalized name: "Sen. Maria Santos", "Secretary Rubio".
    re.compile(
        trie_pattern("Mr Mrs Ms Dr Sen Rep Gov Gen Lt Col Adm Amb Sgt Capt Prof".split(),
                     not_after=r"\w")
        + r"\.[ \t]+" + _NAME + r"(?:[ \t]+" + _NAME + r")?"
    ),
    re.compile(
        trie_pattern("Senator Secretary Ambassador Governor Chancellor Speaker Judge Justice "
                     "Chairman Chairwoman Congressman Congresswoman General Admiral Mayor "
                     "Representative Prosecutor spokesman spokeswoman adviser advisor aide envoy "
                     "lawyer counsel Minister minister".split(), not_after=r"\w")
        + r"[ \t]+" + _NAME + r"(?:[ \t]+" + _NAME + r"){0,2}"
    ),
    # Or two or three capitalized words that read like a name: "Dmitry Peskov accused".
    re.compile(
        at_word_start("[A-Z]", _NAME[len("[A-Z]"):])
        + r"(?:[ \t]+[A-Z]\.)?[ \t]+" + _NAME + r"(?:[ \t]+" + _NAME + r")?"
    ),
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
    "Capitol Street Room Hollywood Day Week Month Year War Wars Front Gate Minister Ministers "
    "Secretary "
    "Cabinet Parliament Senate Congress Guards Command Initiative Act Bill".split()
)
# Words that read like a surname before "said" or "'s" but name places, groups or institutions.
_NOT_SURNAME = _NOT_FIRST | _NOT_LAST | frozenset(
    "Russia Ukraine America Europe China Iran Iraq Israel Syria Turkey Germany France Britain "
    "England Italy Poland Finland Hungary Japan Korea India Mexico Canada Cuba Venezuela "
    "Afghanistan Pakistan Qatar Egypt Libya Belarus Georgia Crimea Donbas Moscow Kyiv Kiev "
    "Washington Hollywood Beijing London Paris Berlin Brussels Rome Warsaw Tehran Jerusalem "
    "Anchorage "
    "Alaska Texas Florida California Ohio Michigan Pennsylvania Virginia Arizona Nevada Iowa "
    "Wisconsin Carolina York Jersey Massachusetts Illinois Minnesota Colorado Utah Kentucky "
    "Tennessee Alabama Louisiana Missouri Indiana Maryland Oregon Idaho Montana Kansas Maine "
    "Vermont Hawaii Delaware Connecticut Oklahoma Arkansas Nebraska Wyoming Mississippi "
    "Congress NATO Kremlin Pentagon Senate Democrats Republicans GOP FBI CIA DOJ NSA Trump "
    "Facebook Google Twitter Amazon Apple Microsoft Fox CNN MSNBC NBC ABC CBS NPR Reuters AP "
    "Politico Axios Breitbart Bloomberg Obamacare Medicare Medicaid Brexit Christmas Easter "
    "Officials Critics Analysts Investigators Prosecutors Lawmakers Others Experts Aides "
    "Witnesses Sources Officers Agents Voters Protesters Leaders Europeans Americans Russians "
    "Ukrainians Trumpism God Jesus Allah Twitter TV "
    # Pronouns and question words: "He's benefitted" is not a Mr. He.
    "He She It We They You His Her Its Our Their This That There Here What Who Why How".split()
)
_SURNAME_BEFORE = re.compile(
    "(?P<name>" + at_word_start("[A-Z]", "") + r"[a-z]+(?:[A-Z][a-z]+)?(?:-[A-Z][a-z]+)?)"
    r"(?=['’]s\s+[a-z]|,?\s+(?:said|says|told|added|"
    r"argued|wrote|testified|tweeted|noted|warned|insisted|claimed|asked|answered|replied|"
    r"explained|acknowledged|admitted|denied|responded|recalled|conceded|countered)\b)"
)
_ROLE_PERSON = re.compile(
    at_word_start("[Tt]", r"he\s+")
    + r"(?:(?:former|then|top|senior|chief|[A-Z][a-z]+|[a-z]+-[a-z]+)\s+){0,3}"
    r"(?P<role>senator|congressman|congresswoman|lawmaker|judge|lawyer|attorney|governor|mayor|"
    r"chairman|chairwoman|director|adviser|advisor|ambassador|envoy|diplomat|spokesman|"
    r"spokeswoman|prosecutor|counsel|colonel|general|admiral|officer|guy|man|woman|witness|"
    r"whistleblower|billionaire|businessman|businesswoman|host|anchor|columnist|author|"
    r"professor|analyst|veteran|priest|pastor|pundit|strategist|activist|secretary|minister|"
    r"chancellor|premier|prime minister|foreign minister|speaker|candidate|nominee|senator-elect)"
    r"\b"
)
# "Trump's veterans affairs secretary", "Putin's spokesman": a person, not the owner.
_OWNED_PERSON = re.compile(
    at_word_start("[A-Z]", r"[a-z]+['’]s\s+")
    + r"(?:(?:former|top|chief|senior|longtime|personal|own|[a-z]+)\s+){0,3}"
    r"(?P<role>secretary|spokesman|spokeswoman|lawyer|attorney|adviser|advisor|aide|son|"
    r"daughter|wife|husband|brother|sister|father|mother|envoy|ambassador|deputy|chief of staff|"
    r"campaign manager|press secretary|friend|fixer|associate|successor|predecessor|"
    r"opponent|rival|nominee|pick|appointee|minister|counsel|director|chairman)\b"
)
# An indefinite person is nobody in particular: "a president who uses his powers".
_GENERIC_PERSON = re.compile(
    at_word_start("[AaEeNn]", r"(?:(?<=[Aa])(?:ny)?|(?<=[Ee])(?:very|ach)|(?<=[Nn])o)\s+")
    + r"(?:(?:sitting|future|new|single|[a-z]+-[a-z]+)\s+)?"
    r"(?:president|man|person|leader|candidate|politician|official|citizen|one|nominee|"
    r"commander in chief)\b"
)
# A capitalized word opening a sentence before a verb: "Kim had revealed", "Lavrov said".
_SURNAME_OPENING = re.compile(
    # At a line's start or after a sentence's end, checked after the first letter (_patterns).
    r"(?P<name>[A-Z](?:(?<=^.)|(?<=[.!?”\"] .))[a-z]+(?:[A-Z][a-z]+)?)\s+"
    r"(?:had|has|said|says|told|was|is|would|"
    r"will|did|does|also|later|then)\s", re.MULTILINE
)
# A name that modifies a group names the group: "the Clinton campaign", "Obama years".
_GROUP_AFTER = re.compile(
    r"\s+(?:campaign|administration|camp|team|White House|era|Foundation|Library|family|"
    r"presidency|years|voters|supporters|allies|aides|associates|people|world|machine|"
    r"operation|loyalists|backers|donors|organization|Organization|Administration|Campaign)\b"
)
_TITLED_PRESIDENT = re.compile(
    at_word_start("President", r"[ \t]+") + _NAME
    + r"(?:[ \t]+(?:[A-Z]\.[ \t]+)?" + _NAME + r"){0,2}")
_MID_SENTENCE_NAME = re.compile(r"[a-z,;] ([A-Z][a-z]+(?:[A-Z][a-z]+)?)\b")
_MALE_ROLE = frozenset({"congressman", "chairman", "spokesman", "guy", "man", "businessman"})
_FEMALE_ROLE = frozenset({"congresswoman", "chairwoman", "spokeswoman", "woman",
                          "businesswoman"})
_PRESIDENT_TITLE = re.compile(r"\bPresident\s+$")
_AHEAD = "the subject named after the opening phrase"
_FEMALE_PRONOUN = re.compile(at_word_start("[SsHh]", r"(?:(?<=[Ss])he|(?<=[Hh])er(?:self)?)\b"))
_SPEECH_AFTER = re.compile(
    # "Cardin said", "Ben Cardin, D-Md., said", "Dershowitz, a Harvard professor, said".
    r"^(?:,[^,;:“”\"]{1,80},)?\s*(?:has |had |also |then |later |again |"
    r"reportedly |publicly |privately |repeatedly |quickly )*"
    r"(?:said|says|told|tells|added|adds|argued|argues|insisted|insists|claimed|claims|"
    r"warned|warns|wrote|writes|tweeted|declared|announced|noted|stated|explained|testified|"
    r"asked|asks|answered|replied|responded|acknowledged|admitted|conceded|countered|"
    r"recalled|complained|boasted|suggested|predicted|continued|observed|remarked|alleged|"
    r"quipped|joked)\b"
)
_SPEECH_BEFORE = re.compile(r"\b(?:said|says|added|adds|asked|wrote|tweeted|according to)"
                            r"\s+(?:(?:former|the|then|top|senior|chief|longtime|acting|"
                            r"[a-z]+-[a-z]+)\s+){0,3}$")
# A lower-case word right after a name is most often its verb ("Trump put it bluntly").
_VERB_AFTER = re.compile(
    r"^\s*(?:[a-z]+ly\s+)?(?!(?:and|or|nor|but|of|in|on|at|to|for|with|from|by|the|a|an|who|"
    r"whom|whose|which|that|as|than|into|onto|over|about|after|before|during|against|through|"
    r"without|within|under|between|among|because|if|when|while|since|until|so|per|via|"
    r"himself|too|alone|both|all|each|not|yet|up|out|off|down|around|across|toward|towards|"
    r"behind|near|like|unlike|despite|amid|beyond|upon)\b)[a-z]+\b"
)
_COORDINATED = re.compile(
    r"^\s+and\s+(?:President\s+|Mr\.\s+)?[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){0,2}")
_OWNER_SPEAKS = re.compile(r"^['’]s\s+(?:[\w’'-]+\s+){1,3}?(?:said|says|told|announced|stated)\b")
_VERB_NEAR = re.compile(r"^(?:\s+[a-z]+){1,3}?\s+(?:is|was|has|had|have|will|would|could|can|"
                        r"did|does|may|might|must|should|became|becomes|remains|remained|got|gets|made|makes|took|"
                        r"takes|gave|gives|went|goes|came|comes|won|wins|lost|loses|ran|runs|faces|"
                        r"faced|knew|knows|sees|saw|thinks|thought)\b")
_SUBORDINATE = re.compile(
    r"^\W*(?:Even |Just |Only |But |And |Yet |So )?(?:If|When|While|Although|Though|As|After|"
    r"Before|Because|Since|Unless|Once|Until|if|when|while|although|though|as|after|before|"
    r"because|since|unless|once|until|though|whether|Whether)\b"
)
_QUOTE_MARKS = re.compile(r"[“”\"]")
# Common female given names: an undeclared person so named is not "he".
_FEMALE_NAMES = frozenset(
    "Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty "
    "Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah "
    "Debbie Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna "
    "Brenda Pamela Nicole Emma Samantha Katherine Kate Christine Debra Rachel Catherine Carolyn "
    "Janet Ruth Maria Heather Diane Virginia Julie Joyce Victoria Olivia Kelly Christina "
    "Lauren Joan Evelyn Judith Megan Cheryl Andrea Hannah Martha Jacqueline Frances Gloria "
    "Ann Anne Teresa Kathryn Sara Janice Jean Alice Madison Doris Abigail Julia Judy Grace "
    "Denise Amber Marilyn Beverly Danielle Theresa Sophia Marie Diana Brittany Natalie Isabella "
    "Charlotte Rose Alexis Kayla Hillary Kamala Elizabeth Elise Nikki Sarah Kellyanne Hope "
    "Stephanie Sheryl Susan Lindsey Marie Fiona Tulsi Ilhan Alexandria Ayanna Rashida Maxine "
    "Dianne Lesley Christiane Andrea Mika Rachel Maggie Masha Yulia Natalia Olga Tatiana "
    "Svetlana Irina Ekaterina Angela Theresa Ursula Marine Giorgia Liz Kirsten Amy Elissa "
    "Jeanine Jeanne Loretta Sally Kathy Betsy Nina Katie Kristen Kristin Heidi Claire Tammy "
    "Mazie Patty Jill Melania Ivanka Tiffany Lara Omarosa Hope Kirstjen Gina Nikki Condoleezza "
    "Madeleine Samantha Susan Valerie Huma Donna Jennifer Eileen Meghan Monica Stormy Karen "
    "Ruth Sonia Elena Amy Lisa Fiona Marie Laura Kathleen Ainsley Dana Erin Megyn Norah "
    "Savannah Hoda Robin Gretchen Brooke Abby Alisyn Poppy Kasie Katy Candace Tomi Chelsea "
    "Cindy Stacey Stacy Ivana Marla Hope Reality Carly Sheila Nadia Bella Kristi".split()
)
_FIRST_PERSON_CLUE = re.compile(r"^(?:Mr|Mrs|Ms|Dr|Sen|Rep|Gov|Gen)\.?\s+")

#: Confidence of each way of resolving; a mention below a caller's threshold is not counted.
CONFIDENCE = {
    "name": 1.0,
    "pattern": 1.0,
    "description": 0.95,
    "office": 0.95,
    "generic_sentence": 0.9,
    "generic_nearby": 0.75,
    "generic_in_office": 0.6,
    "generic_office": 0.9,
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
    key: str = ""  # the entity: an actor key, or an undeclared person's surname
    salience: float = 0.0  # how prominent in its sentence (subject, speaker, first named)
    quote: int = -1  # index of the quotation it stands in, -1 outside quotes
    speaker: bool = False  # the subject of a speech verb ("Mr. Cardin said")
    in_office: bool = True  # a president holding the office on the article's date


_CAPS_RUN = re.compile(at_word_start("[A-Z]", r"[A-Z'’.-]+(?:[ \t:,]+[A-Z][A-Z'’.-]*){2,}\b"))


def _uncapitalized(text: str) -> str:
    """``text`` with all-caps runs in title case ("TRUMP SAID HE" -> "Trump Said He"), so
    headlines set in capitals are matched; offsets do not move."""
    if not _CAPS_RUN.search(text):
        return text

    def title(match: re.Match[str]) -> str:
        titled = match.group().title()
        return titled if len(titled) == len(match.group()) else match.group()

    return _CAPS_RUN.sub(title, text)


# "Virginia Democrat Mark Warner": a label before the name, never part of it.
_LABEL_WORDS = frozenset("Democrat Democrats Republican Republicans Democratic Independent "
                         "Senator Congressman Congresswoman".split())


def _looks_like_person(name: str) -> bool:
    words = [w for w in re.split(r"\s+", name) if not re.fullmatch(r"[A-Z]\.", w)]
    return (len(words) >= 2 and words[0] not in _NOT_FIRST and words[-1] not in _NOT_LAST
            and not any(w in _NOT_LAST or w in _LABEL_WORDS for w in words))


_LOWER_WORD = re.compile(r"[a-z]+")


class _LowerCaseWords:
    """Whether a text uses a word in lower case, as a whole word (for "Kim": "a kim," yes;
    "Kim said" or "kimchi" no).

    Asked for the few capitalized words that may be surnames, so it finds each in the text
    rather than collecting every lower-case word of it.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self.known: dict[str, bool] = {}

    def uses(self, name: str) -> bool:
        word = name.lower()
        if word not in self.known:
            self.known[word] = _LOWER_WORD.fullmatch(word) is not None and self._finds(word)
        return self.known[word]

    def _finds(self, word: str) -> bool:
        text = self.text
        start = text.find(word)
        while start != -1:
            end = start + len(word)
            if (start == 0 or not WORD_CHAR.match(text, start - 1)) and (
                end == len(text) or not WORD_CHAR.match(text, end)
            ):
                return True
            start = text.find(word, start + 1)
        return False


@functools.lru_cache(maxsize=8192)
def _starts_of(name: str) -> re.Pattern[str]:
    return re.compile(r"(?=\b" + re.escape(name) + r"\b)")


def _names_in(text: str, names: list[str]) -> list[tuple[int, int, str]]:
    """The matches of ``\\b(?:name1|name2|...)\\b`` (``names`` in this order) in ``text``.

    The alternation is different for every document (its own surnames), so compiling it cost
    more than the search. Each name's pattern is compiled once per process instead; where
    several names start at one position the earliest in ``names`` is taken, and the scan goes
    on after each match, as the alternation's search does.

    Examples
    --------
    >>> _names_in("Ann-Lee met Ann and Lee.", ["Ann", "Ann-Lee", "Lee"])
    [(0, 3, 'Ann'), (4, 7, 'Lee'), (12, 15, 'Ann'), (20, 23, 'Lee')]
    """
    first_at: dict[int, str] = {}
    for name in names:
        for match in _starts_of(name).finditer(text):
            first_at.setdefault(match.start(), name)
    found, position = [], 0
    for start in sorted(first_at):
        if start >= position:
            name = first_at[start]
            found.append((start, start + len(name), name))
            position = start + len(name)
    return found


def _spans(actors: ActorSet, text: str) -> list[tuple[int, int, str, str]]:
    """Every listed surface, every undeclared person and every pronoun, in text order."""
    found = [(m.start(), m.end(), m.group(), actors.by_surface[m.group()].kind)
             for m in actors.matcher.finditer(text)]
    for pattern, _surface in actors.pattern_surfaces:
        for match in pattern.finditer(text):
            if not any(s < match.end() and match.start() < e for s, e, _, _ in found):
                found.append((match.start(), match.end(), match.group(), "pattern"))
    # Taken spans never overlap, so sorted starts and ends answer "is this free?" by bisection.
    taken = sorted((s, e) for s, e, _, _ in found)
    starts, ends = [s for s, _ in taken], [e for _, e in taken]

    def free(start: int, end: int) -> bool:
        i = bisect.bisect_left(starts, end)
        return i == 0 or ends[i - 1] <= start

    def add(start: int, end: int, surface: str, kind: str) -> None:
        found.append((start, end, surface, kind))
        i = bisect.bisect_left(starts, start)
        starts.insert(i, start)
        ends.insert(i, end)

    # "President John F. Kennedy", "President Xi Jinping": a president the actor file does not
    # declare, whom a later "the president" in the same paragraph may mean.
    for match in _TITLED_PRESIDENT.finditer(text):
        if free(match.start(), match.end()):
            add(match.start(), match.end(), match.group(), "other_president")
    surnames: set[str] = set()
    position = 0
    people = Leftmost(list(_OTHER_PERSON), text)
    while (match := people.search(position)) is not None:
        position = match.end()
        if not free(match.start(), match.end()):
            continue
        surface = match.group()
        plain_name = not re.match(r"[A-Z][a-z]+\.\s", surface) and surface.split()[0] not in (
            "Senator", "Secretary", "Ambassador", "Governor", "Chancellor", "Speaker", "Judge",
            "Justice", "Chairman", "Chairwoman", "Congressman", "Congresswoman", "General",
            "Admiral", "Mayor", "Representative", "Prosecutor", "Minister",
        ) and not surface[0].islower()
        if plain_name and (not _looks_like_person(surface)
                           or _GROUP_AFTER.match(text, match.end())):
            # Not a name as a whole ("Attorney General Bill"): look again from its second
            # word, so "General Bill Barr" is still found.
            position = match.start() + len(surface.split()[0])
            continue
        add(match.start(), match.end(), surface, "other")
        last = surface.split()[-1]
        if last not in _NOT_SURNAME:
            surnames.add(last)
    for match in _ROLE_PERSON.finditer(text):
        if free(match.start(), match.end()):
            add(match.start(), match.end(), match.group(), "other")
    for match in _OWNED_PERSON.finditer(text):
        if free(match.start("role"), match.end()):
            add(match.start("role"), match.end(), match.group("role"), "other")
    # A surname alone names the same undeclared person again ("Vindman" after "Alexander
    # Vindman"); so does a capitalized word before "said" or "'s" that the text never uses
    # in lower case and that is no known place or institution ("Kavanaugh said").
    lower_case = _LowerCaseWords(text)
    for match in _SURNAME_BEFORE.finditer(text):
        name = match.group("name")
        if name not in _NOT_SURNAME and not lower_case.uses(name):
            surnames.add(name)
    # A capitalized word opening a sentence ("Kim had revealed") is a name only if the text
    # also capitalizes it in mid-sentence ("a summit with Kim").
    openers = {m.group("name") for m in _SURNAME_OPENING.finditer(text)} - surnames
    if openers:
        inside = set(_MID_SENTENCE_NAME.findall(text))
        surnames |= {name for name in openers & inside
                     if name not in _NOT_SURNAME and not lower_case.uses(name)}
    for start, end, name in _names_in(text, sorted(surnames)):
        if free(start, end) and not _GROUP_AFTER.match(text, end):
            add(start, end, name, "other")
    for match in _GENERIC_PERSON.finditer(text):
        if free(match.start(), match.end()):
            add(match.start(), match.end(), match.group(), "other")
    found += [(m.start(), m.end(), m.group(), "pronoun") for m in _PRONOUN.finditer(text)]
    found += [(m.start(), m.end(), m.group(), "female_pronoun")
              for m in _FEMALE_PRONOUN.finditer(text)]
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
    quotes = _Quotes(text, sentences)
    mentions: list[Mention] = []
    people: list[_Person] = []
    spans = _spans(actors, _uncapitalized(text))
    # Surnames of declared actors named so far ("Clinton" after "Hillary Clinton").
    surname_of: dict[str, str] = {}
    learned: dict[str, str] = {}  # the gender of undeclared people, learned from pronouns
    for position, (start, end, surface, kind) in enumerate(spans):
        index = bisect.bisect_right(starts, start) - 1
        if index < 0 or start >= sentences[index].end:
            continue
        sentence = sentences[index]
        if kind == "female_pronoun":
            _mark_female(people, learned, start, sentence, quotes)
            continue
        antecedent = None
        if kind == "pronoun":
            if _GENERIC_PAIR.match(text[end:end + 12]) or _GENERIC_PAIR_BEFORE.search(
                text[max(0, start - 12):start]
            ):
                continue  # "he or she": nobody in particular
            mention = _bracketed(actors, text, start, end, surface, sentence)
            if mention is None and quotes.index(start) < 0:
                mention = _cataphora(actors, text, spans, position, sentence, people, quotes)
            if mention is None:
                mention, antecedent = _resolve_pronoun(text, start, end, surface, sentence,
                                                       people, quotes, spans, actors)
        else:
            previous = sentences[index - 1] if index else None
            opening = (previous.start if previous is not None
                       and previous.paragraph_id == sentence.paragraph_id else sentence.start)
            mention = _resolve_nominal(actors, start, end, surface, kind, sentence, people,
                                       day, text, opening)
        if mention is None:
            continue
        mention.surface = text[start:end]  # as written, also in an all-caps headline
        mentions.append(mention)
        if antecedent is not None and antecedent.actor is None and antecedent.gender is None:
            # "he" refers to an undeclared person: a man
            _learn(people, learned, antecedent.key, "male", sentence.sentence_id)
        # A pronoun resolved to an undeclared person keeps the chain going ("Senator Ted Cruz
        # ... He enters the debate ... He's benefitted"): it is a reference to that person.
        # Not a possessive "his", rarely the topic, nor an uncertain link (two or more
        # sentences back): either would carry a wrong chain on.
        if mention.resolved_by in ("explicit", "title", "pronoun") or kind in (
            "other", "other_president", "namesake"
        ) or (kind == "pronoun" and antecedent is not None and surface.lower() != "his"
              and mention.confidence >= CONFIDENCE["pronoun_subject"]):
            key = mention.actor or ""
            if mention.actor is not None:
                gender = actors.actors[mention.actor].gender
                if mention.resolved_by == "explicit":
                    for word in actors.actors[mention.actor].names:
                        surname_of[word.split()[-1]] = mention.actor
            elif antecedent is not None:
                gender, key = antecedent.gender, antecedent.key
            elif kind == "namesake":
                gender, key = actors.namesake_gender.get(surface), surface
            else:
                key = _other_key(surface)
                gender = _other_gender(surface)
                declared = surname_of.get(surface)
                if gender is None and declared is not None:
                    gender = actors.actors[declared].gender
                if gender is None:
                    gender = learned.get(key)
            in_office = mention.actor is not None and actors.president_kind(mention.actor, day)
            again = mention.actor is not None and mention.reason.startswith("the president")
            # "President Bill Clinton" in 2019: "the president" may mean him in the same
            # paragraph, not beyond it; "former" and "Vice" presidents never.
            titled = mention.actor is not None and bool(
                _PRESIDENT_TITLE.search(text[max(0, start - 10):start])
                and not _FORMER.search(text[max(0, start - 25):start])
            ) or kind == "other_president" and not _FORMER.search(
                text[max(0, start - 25):start + 10])
            salience, speaker = _prominence(text, start, end, surface, sentence, people)
            people.append(_Person(mention.actor, gender, sentence.sentence_id,
                                  sentence.paragraph_id, start, end,
                                  in_office or titled or again,
                                  key, salience, quotes.index(start), speaker,
                                  in_office or day is None))
    return mentions


_GENERIC_PAIR = re.compile(r"^\s*(?:or|/)\s*(?:she|her)\b")
_GENERIC_PAIR_BEFORE = re.compile(r"\b(?:she|her)\s*(?:or|/)\s*$")
_FORMER = re.compile(r"\b(?:[Ff]ormer|[Ll]ate|[Tt]hen-?|Vice)\s+(?:U\.S\.\s+|US\s+)?President\s+$")


class _Quotes:
    """Quotations in an article, paragraph by paragraph: curly pairs, straight quotes toggle.

    A quotation left open runs to the end of its paragraph (news style for quotes that go on
    in the next paragraph).
    """

    def __init__(self, text: str, sentences: list[Sentence]) -> None:
        self.spans: list[tuple[int, int]] = []
        paragraphs: dict[int, tuple[int, int]] = {}
        for s in sentences:
            first, _ = paragraphs.get(s.paragraph_id, (s.start, s.end))
            paragraphs[s.paragraph_id] = (first, s.end)
        for p_start, p_end in paragraphs.values():
            opened = -1
            for match in _QUOTE_MARKS.finditer(text, p_start, p_end):
                mark = match.group()
                if opened < 0 and mark != "”":
                    opened = match.start()
                elif opened >= 0 and mark != "“":
                    self.spans.append((opened, match.end()))
                    opened = -1
            if opened >= 0:
                self.spans.append((opened, p_end))
        self.starts = [s for s, _ in self.spans]
        self._sentence_starts = [s.start for s in sentences]
        self._sentence_ids = [s.sentence_id for s in sentences]

    def sentence_id(self, position: int) -> int:
        """The id of the sentence ``position`` stands in."""
        i = max(0, bisect.bisect_right(self._sentence_starts, position) - 1)
        return self._sentence_ids[i] if self._sentence_ids else 0

    def index(self, position: int) -> int:
        """The quotation ``position`` stands in, or -1."""
        i = bisect.bisect_right(self.starts, position) - 1
        return i if i >= 0 and position < self.spans[i][1] else -1


def _other_key(surface: str) -> str:
    """The entity an undeclared person's surface names: the surname, or the role phrase."""
    if surface[:1].islower() or surface.split()[0] in ("The", "A", "An", "Any", "Every"):
        return surface.lower()
    return re.sub(r"['’]s?$", "", surface.split()[-1])


def _other_gender(surface: str) -> str | None:
    if _FEMALE.match(surface):
        return "female"
    if surface.startswith("Mr"):
        return "male"
    role = _ROLE_PERSON.fullmatch(surface)
    if role is not None:
        word = role.group("role")
        return "male" if word in _MALE_ROLE else "female" if word in _FEMALE_ROLE else None
    words = _FIRST_PERSON_CLUE.sub("", surface).split()
    while words and (words[0] in _ROLE_WORDS or words[0].endswith(("'", "’", "'s", "’s"))):
        words = words[1:]
    if len(words) >= 2 and words[0] in _FEMALE_NAMES:
        return "female"
    return None


_ROLE_WORDS = frozenset(
    "Senator Secretary Ambassador Governor Chancellor Speaker Judge Justice Chairman "
    "Congressman General Admiral Mayor Representative Prosecutor Minister spokesman adviser "
    "advisor aide envoy lawyer counsel Chief".split()
)


def _prominence(
    text: str, start: int, end: int, surface: str, sentence: Sentence, people: list[_Person]
) -> tuple[float, bool]:
    """How prominent a person reference is in its sentence, and whether it is a speaker.

    The subject of a speech verb ranks highest, then the subject of another verb, then the
    first person named; a possessive ("Trump's secretary") or a reference inside an opening
    subordinate clause ("If Pence offered ...,") ranks lower.
    """
    after = text[end:min(end + 100, sentence.end)]
    coordinated = _COORDINATED.match(after)
    if coordinated:  # "Trump and Zelensky clashed": both are subjects of "clashed"
        after = after[coordinated.end():]
    before = text[max(sentence.start, start - 40):start]
    speaker = bool(_SPEECH_AFTER.match(after) or _SPEECH_BEFORE.search(before)
                   or _OWNER_SPEAKS.match(after))  # "Ukraine's president's office said"
    # "the things President Trump said": a relative clause, not the sentence's speaker.
    relative = bool(_RELATIVE_HEAD.search(before))
    speaker = speaker and not relative
    possessive = after[:2] in ("'s", "’s") or after[:1] in ("'", "’") or surface.lower() == "his"
    possessive = possessive or surface.endswith(("'s", "’s"))
    # The verb after "Mr. Brunson's case" is the case's, not his.
    verb = not possessive and not relative and bool(
        _REPORTING.match(after) or _VERB_AFTER.match(after) or _VERB_NEAR.match(after))
    opening = text[sentence.start:start]
    # "Trump's push for a deal ...", also after a connective ("And yet McConnell's failure")
    topic = possessive and not _CONNECTIVE.sub("", opening).strip(" “\"'‘,")
    salience = 2.0 if speaker else 1.0 if verb or topic else 0.0
    if verb and _NEW_CLAUSE.search(before):
        salience += 1.0  # "..., and Mr. Trump eagerly embraced it": a main clause's subject
    if not any(not _OWNER_GAP.match(text[p.end:start])
               and not _POSSESSIVE_END.search(text[p.start:p.end + 2])
               for p in _recent(people, sentence.sentence_id)):
        salience += 1.0  # named first (an owner just before, "Trump's secretary", aside)
    if possessive:
        salience -= 0.5
    if "," not in opening and _SUBORDINATE.match(opening):
        salience -= 1.0
    return salience, speaker


def _learn(people: list[_Person], learned: dict[str, str], key: str, gender: str,
           sentence_id: int) -> None:
    """Record an undeclared person's gender, on the references a pronoun can still reach."""
    learned[key] = gender
    for person in _recent(people, sentence_id - 3):
        if person.key == key and person.actor is None:
            person.gender = gender


def _mark_female(
    people: list[_Person], learned: dict[str, str], start: int, sentence: Sentence,
    quotes: _Quotes,
) -> None:
    """"She" / "her" refers to someone: if that is an undeclared person of unknown gender,
    she is a woman, so a later "he" does not refer to her."""
    candidates = [p for p in _recent(people, sentence.sentence_id - 2)
                  if p.gender != "male" and p.end <= start]
    if not candidates or any(p.gender == "female" for p in candidates):
        return  # nobody to learn about, or a woman already there to refer to
    best = max(candidates, key=lambda p: (_score(p, sentence, quotes.index(start), False),
                                          p.start))
    if best.actor is None and best.gender is None and best.key:
        _learn(people, learned, best.key, "female", sentence.sentence_id)


_RELATIVE_HEAD = re.compile(r"\b(?:things|what|everything|something|anything|words|remarks|"
                            r"comments|statements|claims)\s+(?:(?:President|Mr\.|Ms\.|Mrs\.)\s+)?$")
_CONNECTIVE = re.compile(r"^\W*(?:(?:And|But|Yet|So|Still|Now|Even so|Instead|Meanwhile|yet|"
                         r"so|still|now)\b[\s,]*)+")
_NEW_CLAUSE = re.compile(r"(?:,\s+(?:and|but|while|yet|so)|;)\s+(?:(?:Mr|Mrs|Ms|Sen|Rep)\.\s+|"
                         r"President\s+)?$")
_QUOTE_END = re.compile(r"[,.!?]['’\"”]\s*$")


def _recent(people: list[_Person], first_sentence: int) -> list[_Person]:
    """The people referred to from sentence ``first_sentence`` on (``people`` is in order)."""
    index = len(people)
    while index and people[index - 1].sentence_id >= first_sentence:
        index -= 1
    return people[index:]


_POSSESSIVE_END = re.compile(r"(?:['’]s?|^[Hh]is)\W{0,2}$")
_OWNER_GAP = re.compile(r"^['’]s\s+[\w -]{0,40}$")
_BASE = {0: 4.0, 1: 2.5, 2: 0.5, 3: -0.5}


def _score(person: _Person, sentence: Sentence, quote: int, attribution: bool) -> float:
    """Salience of ``person`` as the antecedent of a pronoun in ``sentence``."""
    score = _BASE.get(sentence.sentence_id - person.sentence_id, -1.5) + person.salience
    if person.paragraph_id != sentence.paragraph_id:
        score -= 0.5  # a paragraph break loosens the link
    if person.quote >= 0 and person.quote != quote:
        score -= 1.0  # named inside someone's quotation, the pronoun outside it
    if attribution and person.speaker:
        score += 1.0  # '"...," he said' continues the last speaker
    return score
def _subject(candidates: list[_Person], text: str) -> _Person:
    """The person a clause is about: the one before a reporting verb, else the first named."""
    for person in candidates:
        if _REPORTING.match(text[person.end:person.end + 60]):
            return person
    return candidates[0]


def _resolve_nominal(
    actors: ActorSet, start: int, end: int, surface: str, kind: str, sentence: Sentence,
    people: list[_Person], day: dt.date | None, text: str, opening: int | None = None,
) -> Mention:
    def make(actor: str | None, how: str, key: str, reason: str) -> Mention:
        return Mention(sentence.sentence_id, start, end, surface, actor, how,
                       CONFIDENCE.get(key, 1.0), reason)

    if kind == "other":
        return make(None, "not_actor", "name", "a person the actor file does not declare")
    if kind == "other_president":
        return make(None, "not_actor", "name", "a president the actor file does not declare")
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
    # generic: "the president" -- is a person named right after it ("the president, Putin")?
    named = _apposed_name(actors, text, end)
    if named is not None:
        return make(named, "title", "description", f"the person named after it ({named})")
    # of a country, an organisation ("the president of the Crime Prevention Research Center")?
    owner = _PRESIDENT_OF.match(text, end)
    if owner is not None and _OF_US.match(owner.group("owner")):
        _, us_office = actors.generic[target]
        holder = actors.offices[us_office].holder_on(day) if us_office else None
        if holder is not None:
            return make(holder, "title", "office", f"holder of {us_office} on {day}")
    elif owner is not None:
        office = actors.by_surface.get(f"{owner.group('owner')}'s president")
        if office is not None and office.kind == "office":
            holder = actors.offices[office.target].holder_on(day)
            return make(holder, "title", "office", f"the president of {owner.group('owner')}")
        return make(None, "title", "generic_office",
                    f"the president of {owner.group('owner')}, not a declared office")
    if _OF_WHICH.search(text, max(sentence.start, start - 40), start):
        return make(None, "title", "generic_office", "the president of an organisation")
    # is it the office in general rather than a person?
    why = _office_in_general(text, start, end, sentence,
                             sentence.start if opening is None else opening)
    if why is not None:
        return make(None, "title", "generic_office", f"the office in general: {why}")
    # else the nearest earlier sentence that names a president
    presidents = [p for p in people if p.is_president
                  and sentence.paragraph_id - p.paragraph_id <= (2 if p.in_office else 0)]
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
    former = _former_holder(actors, default_office, holder, day, sentence, people)
    if former is not None:
        return make(former, "title", "generic_in_office",
                    f"no president named nearby, but a former holder of {default_office} is "
                    f"the topic of this passage and its holder on {day} is not named")
    if holder is not None:
        return make(holder, "title", "generic_in_office",
                    f"no president named nearby: the holder of {default_office} on {day}")
    return make(None, "title", "generic_in_office", "no president to refer to")


# "the president" as the office, not a person (tests/text/test_generic_president.py):
# a definite that takes up an indefinite ("A president cannot be indicted ... the president"),
_INDEFINITE_PRESIDENT = re.compile(
    r"\b(?:[Aa]|[Aa]ny|[Ee]very|[Nn]o|[Ee]ach)\s+(?:(?:sitting|future|new|single|given|"
    r"[a-z]+-[a-z]+)\s+)?(?:president|commander[- ]in[- ]chief)\b")
# (Not a plural "presidents": "other presidents have had low ratings" contrasts with him.)
# an apposition to a role noun ("one individual, the president"),
_ROLE_APPOSITION = re.compile(
    r"\b(?:individual|person|officer|official|office-?holder|one man|figure|position),\s*$")
# and a norm about the office: a modal of obligation or permission with a constitutional or
# legal cue in the same sentence ("The president must have the ability to speak candidly with
# foreign leaders ... outside the Executive branch"). Without the cue, "the president must
# resign" is about the man, so the cue is required.
_NORM_MODAL = re.compile(
    r"^\s+(?:must|shall|cannot|can['’]t|can not|may not|should not|shouldn['’]t|"
    r"is not allowed to|is required to|is entitled to|has the (?:constitutional |legal )?"
    r"(?:power|authority|right) to)\b")
_OFFICE_CUE = re.compile(
    r"[Cc]onstitution|constitutional|[Ee]xecutive [Bb]ranch|executive (?:power|authority|"
    r"privilege)|[Ff]ramers|[Ff]ounders|[Aa]rticle II|separation of powers|under the law|"
    r"by law|the office\b")


_PRESIDENT_OF = re.compile(
    r"\s+of\s+(?:the\s+)?(?P<owner>[A-Z][\w.&’'-]*(?:\s+(?:(?:of|and|for|the)\s+)*"
    r"[A-Z][\w.&’'-]*)*)")
_OF_US = re.compile(r"(?:United\s+States|U\.\s?S\.|US|USA|America)\b")
_COMMA = re.compile(r",\s+")
_OF_WHICH = re.compile(r"\b(?:of|for)\s+which\s+(?:[\w’']+\s+){1,3}$")


def _apposed_name(actors: ActorSet, text: str, end: int) -> str | None:
    """The declared person named in apposition right after ("the president, Putin,")."""
    comma = _COMMA.match(text, end)
    if comma is None or actors.matcher is None:
        return None
    name = actors.matcher.match(text, comma.end())
    if name is None:
        return None
    entry = actors.by_surface.get(name.group())
    return entry.target if entry is not None and entry.kind == "name" else None


_OFFICE_INSTITUTION = re.compile(
    r"(?:['’]s)?\s+(?:Council|Commission|Committee|Cup|Daily\s+Brief|Intelligence\s+Advisory|"
    r"Advisory|Task\s+Force|Budget|Emergency\s+Plan)\b")


def _office_in_general(text: str, start: int, end: int, sentence: Sentence,
                       opening: int) -> str | None:
    """Why this "the president" means the office, not a person (None when it does not)."""
    before = text[opening:start]
    if _OFFICE_INSTITUTION.match(text, end):
        return "part of an institution's name ('the President's Council of Advisers')"
    if _INDEFINITE_PRESIDENT.search(before):
        return "it takes up an indefinite 'a president' just before"
    if _ROLE_APPOSITION.search(text[max(sentence.start, start - 30):start]):
        return "in apposition to a role ('one individual, the president')"
    if _NORM_MODAL.match(text[end:end + 60]) and _OFFICE_CUE.search(
        text[sentence.start:sentence.end]
    ):
        return "a norm about the office (a modal and a constitutional or legal cue)"
    return None


def _former_holder(actors: ActorSet, office: str | None, holder: str | None,
                   day: dt.date | None, sentence: Sentence, people: list[_Person]) -> str | None:
    """A former holder of ``office`` who is the topic of this passage, when its holder on
    ``day`` is not named: "the president" in a paragraph on the Obama years, in 2018.

    The topic is a former holder referred to at least twice in this paragraph and the one
    before; the holder must not be referred to in this paragraph or the two before (else
    "the president" is more likely the holder, as in "Trump ... Obama's deal ... the
    president").
    """
    if office is None or day is None:
        return None
    nearby = []
    for person in reversed(people):  # in text order, so the walk back can stop early
        if sentence.paragraph_id - person.paragraph_id > 2:
            break
        if person.actor is not None:
            nearby.append(person)
    if holder is not None and any(p.actor == holder for p in nearby):
        return None
    terms = actors.offices[office].holders
    counts: dict[str, int] = {}
    for person in nearby:
        if (sentence.paragraph_id - person.paragraph_id <= 1 and person.actor != holder
                and any(end is not None and end <= day for _, end in
                        terms.get(person.actor, ()))):
            counts[person.actor] = counts.get(person.actor, 0) + 1
    topics = [actor for actor, n in counts.items() if n >= 2]
    if not topics:
        return None
    return max(topics, key=lambda a: max(p.start for p in nearby if p.actor == a))


def _cataphora(
    actors: ActorSet, text: str, spans: list[tuple[int, int, str, str]], position: int,
    sentence: Sentence, people: list[_Person], quotes: _Quotes,
) -> Mention | None:
    """A pronoun in an opening phrase refers ahead: "In his address, Zelensky said ..."."""
    start, end, surface, _ = spans[position]
    if any(p.sentence_id == sentence.sentence_id for p in _recent(people, sentence.sentence_id)):
        return None  # someone was already named in this sentence: not an opening phrase
    if surface.lower() == "he" and not _SUBORDINATE.match(text[sentence.start:start]):
        return None  # "He said, ..." is a subject, not an opening phrase
    comma = text.find(",", end, sentence.end)
    if comma < 0:
        return None
    for next_start, next_end, next_surface, kind in itertools.islice(spans, position + 1, None):
        if next_start >= sentence.end:
            return None
        if kind == "pronoun":
            continue
        if next_start < comma or kind not in ("name", "description", "other", "namesake"):
            return None
        after = text[next_end:next_end + 60]
        named = next_surface[:1].isupper() and not next_surface.startswith("The ")
        if not (_REPORTING.match(after) or named and _VERB_AFTER.match(after)) or quotes.index(
            next_start
        ) >= 0:
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


# A writer's clarification in brackets names the referent outright: "he (Ayers)", "he [Johnson]".
_BRACKETED = re.compile(
    r"[ \t]*[(\[][ \t]*(?P<name>(?:Mr\.|Mrs\.|Ms\.|President)?[ \t]*[A-Z][a-z’'-]+"
    r"(?:[ \t]+[A-Z][a-z’'-]+){0,2})[ \t]*[)\]]")
_HONORIFIC = re.compile(r"^(?:Mr\.|Mrs\.|Ms\.|President)\s*")


def _bracketed(actors: ActorSet, text: str, start: int, end: int, surface: str,
               sentence: Sentence) -> Mention | None:
    """A pronoun followed by its referent's name in brackets resolves to that name."""
    match = _BRACKETED.match(text, end)
    if match is None:
        return None
    name = match.group("name").strip()
    found = actors.by_surface.get(name) or actors.by_surface.get(_HONORIFIC.sub("", name))
    reason = f"named in brackets right after it ({name})"
    if found is not None and found.kind in ("name", "description"):
        return Mention(sentence.sentence_id, start, end, surface, found.target, "pronoun",
                       CONFIDENCE["pronoun_single"], reason)
    return Mention(sentence.sentence_id, start, end, surface, None, "not_actor",
                   CONFIDENCE["pronoun_single"], reason)


# '"He has been a loser ...," he said': a quotation attributed by a pronoun.
_PRONOUN_SAID = re.compile(
    r"[\s,]*he\s+(?:said|says|added|adds|told|tells|wrote|writes|tweeted|continued|insisted|"
    r"argued|declared|stated|explained|replied|answered|quipped|joked|recalled|noted)\b")


def _pronoun_speaker(people: list[_Person], sentence: Sentence, q_start: int) -> str | None:
    """Whom the "he" of '"...," he said' means: the most salient man before the quotation,
    as that "he" itself is resolved (a speech attribution goes on with the last speaker)."""
    candidates = [p for p in _recent(people, sentence.sentence_id - 3)
                  if p.gender != "female" and p.end <= q_start
                  and sentence.paragraph_id - p.paragraph_id <= 1]
    if not candidates:
        return None
    best = max(candidates, key=lambda p: (_score(p, sentence, -1, True), p.start))
    return best.key or None


def _speaker_key(
    text: str, quote: tuple[int, int], sentence: Sentence, spans: list, actors: ActorSet
) -> str | None:
    """Who speaks a quotation: '"...," Paul said' or 'Paul said: "..."' (an entity key)."""
    q_start, q_end = quote
    first = bisect.bisect_left(spans, (q_start - 200,))
    for start, end, surface, kind in itertools.islice(spans, first, None):
        if start > q_end + 80:
            break
        if kind not in ("name", "description", "other", "namesake"):
            continue
        if q_end <= start <= q_end + 80 and start < sentence.end + 80:
            gap = text[q_end:start]
            if "\n" in gap or not re.fullmatch(r"[\s,.]*(?:(?:said|says|added|asked|wrote|"
                                               r"tweeted)\s+)?[\w.,’' -]{0,60}", gap):
                continue
            if _SPEECH_AFTER.match(text[end:end + 100]) or _SPEECH_BEFORE.search(gap):
                return _span_key(surface, kind, actors)
            return None
        if q_start - 200 <= start and end <= q_start and q_start - end < 60:
            if _SPEECH_AFTER.match(text[end:q_start]):
                return _span_key(surface, kind, actors)
    return None


_ATTRIBUTION_NEAR = re.compile(
    r"[\s,]*(?:[\w.’'-]+\s+){0,4}?(?:said|says|added|adds|asked|wrote|writes|tweeted|told|"
    r"continued|explained|recalled|insisted|argued|replied|responded|according)\b")


def _attributed(text: str, quote: tuple[int, int]) -> bool:
    """Whether a speech verb follows the quotation closely ('"...," a spokesman said')."""
    return bool(_ATTRIBUTION_NEAR.match(text, quote[1], quote[1] + 80))


def _previous_subject(people: list[_Person], sentence: Sentence) -> str | None:
    """The man the sentence before is about (its subject or speaker), in this paragraph."""
    before = [p for p in people if p.sentence_id == sentence.sentence_id - 1
              and p.paragraph_id == sentence.paragraph_id and p.gender != "female"
              and p.quote < 0 and p.salience >= 1.0]
    if not before:
        return None
    return max(before, key=lambda p: (p.salience, -p.start)).key or None


def _span_key(surface: str, kind: str, actors: ActorSet) -> str:
    if kind in ("name", "description"):
        return actors.by_surface[surface].target
    return surface if kind == "namesake" else _other_key(surface)


def _resolve_pronoun(
    text: str, start: int, end: int, surface: str, sentence: Sentence,
    people: list[_Person], quotes: _Quotes, spans: list, actors: ActorSet,
) -> tuple[Mention | None, _Person | None]:
    """The most salient compatible person in this sentence and the three before it.

    Recency (same sentence, then one, two, three back), the subject or speaker role, being
    named first, and how often the same person was referred to in that window, make the
    score. Inside a quotation the speaker is not "he" ('"I will tell him," Paul said').
    """
    quote = quotes.index(start)
    excluded = None
    if quote >= 0:
        excluded = _speaker_key(text, quotes.spans[quote], sentence, spans, actors)
        said_he = excluded is None and bool(_PRONOUN_SAID.match(text, quotes.spans[quote][1]))
        if said_he:
            # The speaker is the man that attribution's "he" means, so not this "he" (Trump
            # on Amash: '"He's been a loser for a long time ...," he said').
            excluded = _pronoun_speaker(people, sentence, quotes.spans[quote][0])
        previous = quotes.spans[quote - 1] if quote > 0 else None
        opens = (quotes.spans[quote][0] >= sentence.start
                 and not text[sentence.start:quotes.spans[quote][0]].strip())
        if (excluded is None and not said_he and previous and opens
                and 0 <= quotes.spans[quote][0] - previous[1] < 250):
            # A quotation right after another with no attribution of its own goes on with
            # the same speaker: '"...," said Sam Fulwood. "He's thin-skinned ..."'
            window = Sentence(-1, -1, max(0, previous[0] - 150), quotes.spans[quote][0])
            excluded = _speaker_key(text, previous, window, spans, actors)
        if (excluded is None and not said_he and opens
                and not _attributed(text, quotes.spans[quote])):
            # A quotation opening a sentence with no attribution anywhere near goes on from
            # the sentence before: 'Trump tried to minimize it. "What he's trying to do is
            # get a reduced sentence."' -- the subject there speaks, so is not this "he".
            excluded = _previous_subject(people, sentence)
    attribution = bool(_SPEECH_AFTER.match(text[end:end + 40])) and bool(
        _QUOTE_MARKS.search(text[sentence.start:start]) or _QUOTE_END.search(text[:start])
    )
    first = sentence.sentence_id - 3
    gap = text[max(0, start - 8):start]
    closed = quotes.index(start - len(gap) + len(gap.rstrip(" ,")) - 1)  # the mark before
    if attribution and closed >= 0 and closed != quote:
        # '"... [four sentences] ...," he said': the speaker is named before the quotation.
        first = min(first, quotes.sentence_id(quotes.spans[closed][0]) - 1)
    candidates = [
        p for p in _recent(people, first)
        if p.gender != "female" and p.end <= start
        and sentence.paragraph_id - p.paragraph_id <= 1
        and (excluded is None or p.key != excluded)
        # '"... he's a Democrat ...," he alleged': the man inside the quotation just closed
        # is not the one who speaks it.
        and not (attribution and p.quote >= 0 and p.quote != quote
                 and not text[quotes.spans[p.quote][1]:start].strip(" ,"))
    ]
    if not candidates:
        return None, None
    best: dict[str, tuple[float, int, _Person]] = {}
    counts: dict[str, set[int]] = {}
    for person in candidates:
        key = person.key or f"#{person.start}"
        counts.setdefault(key, set()).add(person.sentence_id)
        score = _score(person, sentence, quote, attribution)
        if key not in best or (score, person.start) > best[key][:2]:
            best[key] = (score, person.start, person)
    # Referred to in several of these sentences: the topic of the passage.
    ranked = sorted(((score + min(0.5, 0.25 * (len(counts[key]) - 1)), begin, person)
                     for key, (score, begin, person) in best.items()),
                    key=lambda item: item[:2], reverse=True)
    score, _, chosen = ranked[0]
    distance = sentence.sentence_id - chosen.sentence_id
    margin = score - ranked[1][0] if len(ranked) > 1 else None
    key = ("pronoun_far" if distance >= 2 else "pronoun_single" if margin is None
           else "pronoun_subject" if margin >= 0.5 else "pronoun_far")
    where = ("this sentence", "the sentence before", "two sentences before",
             "three sentences before")[distance] if distance <= 3 else "before the quotation"
    how = "pronoun" if chosen.actor is not None else "not_actor"
    reason = f"the most salient compatible person, in {where}"
    if excluded is not None:
        reason += " (not the speaker of the quotation)"
    return Mention(sentence.sentence_id, start, end, surface, chosen.actor, how,
                   CONFIDENCE[key], reason), chosen
