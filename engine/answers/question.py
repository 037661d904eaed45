"""What a question asks for: the kind of value that answers it and the words that must be matched.

"When ..." wants a date, "how much ..." an amount (or a percentage when it asks how much faster or higher),
"how many ..." a count, "how long ..." a duration, "who ..." a person, "which company ..." an organisation,
"where ..." a place, "what/why ..." a clause. The expected kinds steer evidence ranking and the answer span.
Pure and thread-safe.
"""

from __future__ import annotations

import re
from dataclasses import dataclass


#: Words that carry no topic: question words, auxiliaries, pronouns, fillers.
STOPWORDS = frozenset("""
a an the and or but if of to in on at by for from with about into over under as is are was were be been being do
does did done have has had will would shall should can could may might must what when where which who whom whose
why how much many long soon often this that these those there here it its we our us you your i me my he she they
them their his her mine ours yours any some all each every per than then so not no yes up out off get got
tell please know does did whats let just also still now currently right ever again up down year years day
""".split())

#: Words that only say what kind of value is wanted ("what does X cost"): the value itself answers them.
VALUE_WORDS = frozenset("""
cost costs price priced pay pays paid worth spend spent amount value charge charges date time deadline due
happen number percent percentage who person people total
""".split())

_REQUEST_QUESTION = re.compile(r"\b(?:what|which)(?: \w+){0,3}? (?:did|does|do|has|have|is) .+? (?:ask(?:ed|s|ing)?"
                               r"(?:(?: us)? for| \w+ to)|want(?:s|ed)?|need(?:s|ed)?|request(?:s|ed)?|"
                               r"expect(?:s|ed)?)\b", re.I)
_REQUEST_VERB = re.compile(r"\b(?:ask|want|need|request|expect)\w*", re.I)
_REQUEST_VERBS = frozenset("ask asks asked asking want wants wanted need needs needed request requests requested "
                           "expect expects expected us".split())

#: Words that say the answer is a money amount / a percentage even without "how much".
_AMOUNT_WORDS = re.compile(r"\b(?:cost|costs|price|priced|pay|pays|paid|budget|worth|revenue|spend|spent|fees?|"
                           r"rent|credit|invoice|bill|burn|cash|wage|salary|valuation|invest\w*|offer\w*|quote\w*|"
                           r"charge\w*|amount|value|arr|overtime|volume|capital|pipeline)\b", re.I)
_PERCENT_WORDS = re.compile(r"\b(?:percent\w*|margin|rate|retention|churn|uptime|surcharge|discount|cap|share|"
                            r"faster|improve\w*|increase\w*|go up|went up|grow\w*|drop\w*|reduction|cut)\b", re.I)
_PERSON = re.compile(r"^\s*(?:who|whom|whose)\b|\bwhich\s+(?:\w+\s+)?(?:person|investor|engineer|cfo|ceo|svp|vp|partner|"
                     r"manager|lawyer|director|officer|member)\b", re.I)
_ORG = re.compile(r"\b(?:which|what)\s+(?:\w+\s+){0,2}(?:company|customer|firm|vendor|supplier|processor|"
                  r"hospital|merchant|bank|investor|partner|client|account|flight|cooler|wms)\b", re.I)


def term_key(word: str) -> str:
    """A word's matching key: suffix-stripped and cut to 5 letters, so 'expansion', 'expanding' and 'expand'
    meet while 'container' and 'contract' stay apart."""
    word = word.lower()
    if len(word) > 4:
        word = re.sub(r"(?:ing|ed|es|s)$", "", word)
    return word[:5]


@dataclass(frozen=True, slots=True)
class QuestionFocus:
    """`kinds`: value kinds that can answer, best first (empty for clause questions); `terms`: keys of the
    content words; `names`: capitalised words the question names (people, companies, places, months), lower
    case; `topic`: keys of the content words that are not names (what is asked about them)."""

    text: str
    kinds: tuple[str, ...]
    terms: tuple[str, ...]
    names: tuple[str, ...]
    topic: tuple[str, ...] = ()
    request: bool = False  # "what did X ask for / want / need": X's requests answer it
    askers: tuple[str, ...] = ()  # of a request question, the names before its verb ("Gary" in "did Gary ask Ruth")

    @property
    def wants_value(self) -> bool:
        return bool(self.kinds)

    @property
    def writers(self) -> tuple[str, ...]:
        """Names whose own mail or words answer: the askers of a request question, else every name."""
        return self.askers if self.request else self.names


def content_words(text: str) -> list[str]:
    """Lowercased words minus stopwords, possessives dropped ("Lakeview's" -> "lakeview")."""
    words = re.findall(r"[\w][\w'’.-]*\w|\w", text.lower())
    out = []
    for word in words:
        word = re.sub(r"['’]s$", "", word)
        if word not in STOPWORDS and not word.isdigit() or (word.isdigit() and len(word) > 1):
            out.append(word)
    return out


def expected_kinds(question: str) -> tuple[str, ...]:
    """The kinds of value that answer `question`, best first; () when a clause answers it."""
    q = question.lower().strip()
    if re.match(r"^\s*(?:when|by when|until when|what (?:date|day|time))\b", q) or re.search(
            r"\b(?:by|until|before) when\b|\bwhat (?:date|day)\b|\bdeadline\b|\bdue date\b", q):
        return ("date", "time")
    if re.match(r"^\s*what\b.*\bdate\b", q):
        return ("date", "time")
    if re.search(r"\bhow (?:long|soon|quickly|fast)\b|\blead time\b|\bwithin how many\b|\bhow many (?:days|weeks|months|hours|minutes|years)\b", q):
        return ("duration", "date", "count")
    if re.search(r"\bhow many\b", q):
        return ("count", "duration")
    if re.search(r"\bhow much\b", q):
        if _PERCENT_WORDS.search(q) and not _AMOUNT_WORDS.search(q):
            return ("percent", "amount")
        if re.search(r"\bhow much (?:time|longer)\b", q):
            return ("duration",)
        if _AMOUNT_WORDS.search(q):
            return ("amount", "percent")  # what something costs is money, never a bare count ("level 3")
        return ("amount", "percent", "count")
    if re.search(r"\bwhat (?:percentage|share|proportion)\b", q):
        return ("percent",)
    if _PERSON.search(q):
        return ("name",)
    if re.match(r"^\s*where\b", q):
        return ("name",)
    if re.search(r"\b(?:score|headcount|number of)\b", q):
        return ("count", "percent")
    if _ORG.search(q):
        return ("name", "count")
    if re.match(r"^\s*(?:what|which)\b", q):
        if _PERCENT_WORDS.search(q) and not re.search(r"\b(?:revenue|cost|price|budget|pay|rent)\b", q):
            return ("percent", "amount")
        if _AMOUNT_WORDS.search(q):
            return ("amount", "percent")
    return ()


def analyse(question: str) -> QuestionFocus:
    text = question.strip()
    names = tuple(dict.fromkeys(re.sub(r"['’]s$", "", m.group(0)).lower()
                                for m in re.finditer(r"\b[A-Z][\w'’&-]*\w", text)
                                if m.start() > 0 and m.group(0).lower() not in STOPWORDS))
    words = content_words(question)
    terms = tuple(dict.fromkeys(term_key(w) for w in words))
    name_words = {w for n in names for w in n.split()}
    kinds = expected_kinds(question)
    request = bool(_REQUEST_QUESTION.search(text)) and not kinds  # "which WMS does X need" wants a name
    skip = VALUE_WORDS | (_REQUEST_VERBS if request else frozenset())
    topic = tuple(dict.fromkeys(term_key(w) for w in words if w not in name_words and w not in skip))
    verb = _REQUEST_VERB.search(text) if request else None
    askers = tuple(n for n in names if verb is not None and n in text[:verb.start()].lower()) or names
    return QuestionFocus(text=question, kinds=kinds, terms=terms, names=names, topic=topic, request=request,
                         askers=askers)


#: Words that name one side of a contrast, by group: a question about one side is not answered by a sentence
#: that speaks only of another ("crane hire per week" by "for the day"; "when does the fit-out start" by
#: "submission closes"; "the second-year salary" by "the first-year salary").
_CONTRASTS: dict[str, dict[str, str]] = {
    "period": {**dict.fromkeys("hour hours hourly".split(), "hour"), **dict.fromkeys("day days daily".split(), "day"),
               **dict.fromkeys("week weeks weekly".split(), "week"),
               **dict.fromkeys("month months monthly".split(), "month"),
               **dict.fromkeys("year years yearly annual annually annum".split(), "year")},
    "phase": {**dict.fromkeys("start starts started starting begin begins began commence commences open opens "
                              "opening launch launches".split(), "start"),
              **dict.fromkeys("end ends ended finish finishes finished complete completes completed completion "
                              "expire expires expired expiry close closes closed closing".split(), "end")},
    "direction": {**dict.fromkeys("rise rises rose risen increase increases increased grow grows grew growth "
                                  "higher raise raised".split(), "up"),
                  **dict.fromkeys("fall falls fell fallen drop drops dropped decrease decreases decreased decline "
                                  "declined lower reduce reduced reduction".split(), "down")},
    "order": {"first": "1", "second": "2", "third": "3", "fourth": "4", "fifth": "5", "final": "last", "last": "last"},
    "rank": {"junior": "junior", "senior": "senior", "minimum": "min", "maximum": "max", "lowest": "min",
             "highest": "max"},
    "basis": {"gross": "gross", "net": "net"},
    "trade": {**dict.fromkeys("buy buys bought purchase purchased import imports inbound".split(), "in"),
              **dict.fromkeys("sell sells sold export exports outbound".split(), "out")},
}


def contrast_sides(text: str) -> dict[str, set[str]]:
    """group -> the sides `text` speaks of ('per week' -> {'period': {'week'}})."""
    sides: dict[str, set[str]] = {}
    for word in re.findall(r"[a-z]+", text.lower()):
        for group, members in _CONTRASTS.items():
            if word in members:
                sides.setdefault(group, set()).add(members[word])
    return sides


def contradicts(question: dict[str, set[str]], sentence: dict[str, set[str]]) -> bool:
    """The sentence speaks of another side of a contrast the question names, and not of the question's side."""
    return any(group in sentence and not (sides & sentence[group]) for group, sides in question.items())

