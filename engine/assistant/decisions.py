"""Decision support: a decision record scored against the strategic context, and a journal with reviews.

The record (a `models.Decision`): question, options, criteria (the goals, weighted), pros/cons per option, risks,
stakeholders, cultural impact (teams affected, from the roster and the team pulse), alignment per option per goal,
a recommendation with a stated confidence, and evidence links (related mail found by full-text search).

Deterministic first (WHY: it must be useful with the bundled 135M model and explainable to an executive):
- criteria = the goals; each weighs 1 plus the number of current priorities that share its words, normalised;
- alignment(option, goal) = the share of the goal's identifying words the option's own text names
  (`StrategicMatcher.overlap`; related mail is evidence only, as generic words would pull in unrelated threads), negative when the shared word is a load/risk word in the option
  ("ask engineering to work weekends" against "no engineer on call more than one weekend in four");
- score(option) = sum of weight x alignment, plus a small bonus per current priority the option touches;
- confidence = how clearly the best option beats the runner-up, capped at 0.85 (rules never claim certainty),
  and low (0.2) when no option touches any goal.
Only with a model (`llm`: an `LLMService`) are pros/cons also proposed by the model, through
`LLMService.structured` and a pydantic schema; they are marked "(model)" and never change the score.

Thread-safety: use from one worker at a time; the store serialises its own access.
"""

from __future__ import annotations

import logging
import re
from datetime import date, timedelta
from typing import Any, Callable, Protocol, Sequence

from pydantic import BaseModel, Field

from engine.assistant.context import ContextService, Relationships
from engine.assistant.identity import resolve_principal
from engine.assistant.relevance import Aim, StrategicMatcher, stems_of
from engine.assistant.text import quote, tokens
from engine.errors import EngineError
from engine.assistant.money import find_amounts
from engine.llm.runtime import GenerationParams
from engine.store import Store
from models import Decision, Evidence, Insight

log = logging.getLogger(__name__)

MAX_RULE_CONFIDENCE = 0.85
_DELAY = re.compile(r"\b(?:delay\w*|postpon\w*|defer\w*|slip\w*|push(?:ed)? back|later|wait|pause\w*|freeze\w*)\b", re.I)
_RISKY = re.compile(r"\b(?:layoffs?|cut\w*|skip\w*|overtime|weekends?|churn|lawsuit|penalt\w*|discount\w*|"
                    r"exclusive|commit\w* to|guarantee\w*|hire|hiring|replace\w*)\b", re.I)


_LOAD = re.compile(r"\b(?:overtime|weekends?|late nights?|layoffs?|churn|burnout|skip\w*)\b", re.I)
_REDUCE = re.compile(r"\b(?:cut\w*|drop\w*|stop\w*|end(?:s|ing)?|cancel\w*|scrap\w*|abandon\w*|reduc\w*|lower\w*|"
                     r"shrink\w*|eliminat\w*|remove\w*)\b((?:\W+\w+){1,4})", re.I)


def works_against(option: str, aim: Aim) -> bool:
    """Whether `option` names one of `aim`'s words as something to cut ("cut retention programs" against
    "improve retention") or as added load ("work weekends" against "no engineer on call more than one weekend
    in four"). A goal that is itself about reducing something is served by cutting it."""
    words = aim.names | aim.words
    if any(stems_of(m.group(0)) & words for m in _LOAD.finditer(option)):
        return True
    if _REDUCE.search(aim.text):
        return False
    return any(stems_of(m.group(1)) & words for m in _REDUCE.finditer(option))


class DecisionError(EngineError):
    """A decision cannot be analysed or updated as asked."""


class ProsCons(BaseModel):
    """What the model may propose for one option (validated; at most three each)."""

    pros: list[str] = Field(default_factory=list, max_length=3)
    cons: list[str] = Field(default_factory=list, max_length=3)


class _Structured(Protocol):  # the part of engine.llm.service.LLMService used here
    def structured(self, request: Any, schema: type[ProsCons], *, feature: str = ..., **kwargs: Any) -> ProsCons: ...


class DecisionAnalyst:
    """Builds decision records and keeps the decision journal (`store.decisions`)."""

    def __init__(self, store: Store, *, llm: _Structured | None = None,
                 today: Callable[[], date] = date.today) -> None:
        self.store = store
        self.llm = llm
        self.today = today
        self.ctx = store.contexts.latest()
        self.rel = Relationships(self.ctx, resolve_principal(store))
        self.matcher = StrategicMatcher(self.ctx)

    # -- analysis ----------------------------------------------------------------------------------------------
    def criteria(self) -> dict[str, float]:
        """Goal -> weight (sums to 1): 1 per goal plus 1 per current priority that shares its words."""
        goals = [a for a in self.matcher.aims if a.kind == "goal"]
        priorities = [a for a in self.matcher.aims if a.kind == "priority"]
        raw = {g.text: 1.0 + sum(1 for p in priorities if len((p.names | p.words) & (g.names | g.words)) >= 1)
               for g in goals}
        total = sum(raw.values()) or 1.0
        return {goal: round(w / total, 3) for goal, w in raw.items()}

    def analyze(self, question: str, options: Sequence[str] = (), *, review_in_days: int = 30,
                save: bool = True) -> Decision:
        """The decision record for `question` (options default to proceed / do not proceed); saved unless
        `save` is false. Raises DecisionError for an empty question."""
        question = (question or "").strip()
        if not question:
            raise DecisionError("A decision needs a question.", next_step='Try: decide "Should we ...?"')
        options = [o.strip() for o in options if o.strip()] or [f"Yes: {question.rstrip('?')}", "No / not now"]
        weights = self.criteria()
        goals = {a.text: a for a in self.matcher.aims if a.kind == "goal"}
        evidence: list[Evidence] = []
        alignment: dict[str, dict[str, float]] = {}
        scores: dict[str, float] = {}
        pros: dict[str, list[str]] = {}
        cons: dict[str, list[str]] = {}
        for option in options:
            related = self._related_mail(option)
            evidence += [e for e in related if e not in evidence]
            # a load/risk word that is also a goal's word ("work weekends" vs "no engineer on call more than one
            # weekend in four") works against that goal: lexical overlap alone cannot tell the direction
            against = {g for g in weights if works_against(option, goals[g])}
            alignment[option] = {g: round((-1 if g in against else 1) * self.matcher.overlap(goals[g], option), 3)
                                 for g in weights}
            touched = self.matcher.matches(option, kinds=("priority",))
            scores[option] = sum(weights[g] * a for g, a in alignment[option].items()) + 0.1 * len(touched)
            pros[option], cons[option] = self._pros_cons(option, alignment[option], touched)
        if self.llm is not None:
            self._model_pros_cons(question, options, pros, cons)
        ranked = sorted(options, key=lambda o: -scores[o])
        best = ranked[0]
        runner = max(scores[ranked[1]], 0.0) if len(ranked) > 1 else 0.0
        if scores[best] <= 0:
            confidence = 0.2
        else:
            confidence = min(MAX_RULE_CONFIDENCE, 0.5 + 0.5 * (scores[best] - runner) / (scores[best] + runner))
        teams, people = self._stakeholders(f"{question} {' '.join(options)}")
        decision = Decision(
            question=question, options=list(options), criteria=weights, recommendation=best,
            confidence=round(confidence, 2), rationale=self._rationale(best, scores, alignment[best], weights),
            review_on=self.today() + timedelta(days=review_in_days),
            context_version=self.ctx.version if self.ctx else None, evidence=evidence[:8],
            pros=pros, cons=cons, risks=self._risks(question, options, teams), stakeholders=people,
            cultural_impact=self._cultural_impact(teams, f"{question} {' '.join(options)}"), alignment=alignment,
        )
        if save:
            self.store.decisions.save(decision)
        log.info("decision analysed: %d options, confidence %.2f", len(options), decision.confidence)
        return decision

    def _related_mail(self, option: str, limit: int = 3) -> list[Evidence]:
        words = [w for w in tokens(option) if len(w) >= 4 and w.isalnum()][:8]
        if not words:
            return []
        ids = self.store.messages.search(" OR ".join(f'"{w}"' for w in words), limit=limit)
        out = []
        for mid in ids:
            m = self.store.messages.get(mid)
            if m is not None:
                out.append(Evidence("email", mid, quote(m.subject, 120)))
        return out

    def _pros_cons(self, option: str, alignment: dict[str, float], touched: list) -> tuple[list[str], list[str]]:
        pros = [f"Advances goal: {goal}" for goal, a in sorted(alignment.items(), key=lambda x: -x[1]) if a >= 0.2]
        pros += [f"Serves current priority: {p.text}" for p in touched]
        pros += [f"Consistent with value: {v.text}" for v in self.matcher.matches(option, kinds=("value",))]
        cons = [f"Works against goal: {goal}" for goal, a in alignment.items() if a < 0]
        if not any(a >= 0.2 for a in alignment.values()):
            cons.append("Does not clearly advance any stated goal.")
        for money in find_amounts(option)[:2]:
            cons.append(f"Costs or commits {money.currency} {money.amount:,.0f}.")
        if _DELAY.search(option):
            cons.append(f"Defers something (\"{_DELAY.search(option).group(0)}\"): check what waits.")
        return pros, cons

    def _model_pros_cons(self, question: str, options: list[str], pros: dict[str, list[str]],
                         cons: dict[str, list[str]]) -> None:
        prefix = ContextService(self.store).prefix()
        for option in options:
            prompt = (f"{prefix.text}\n\nDecision: {question}\nOption: {option}\n"
                      "List up to three pros and three cons of this option for the company, as JSON.")
            try:
                # greedy: the same record for the same question, and no invented variety from sampling
                answer = self.llm.structured(prompt, ProsCons, feature="decision",
                                             params=GenerationParams(max_tokens=256, temperature=0.0))
            except EngineError as exc:  # a failed model call leaves the rule-based record intact
                log.warning("decision pros/cons: model failed (%s)", type(exc).__name__)
                return
            pros[option] += [f"(model) {p.strip()}" for p in answer.pros if p.strip()]
            cons[option] += [f"(model) {c.strip()}" for c in answer.cons if c.strip()]

    def _stakeholders(self, text: str) -> tuple[list[str], list[str]]:
        """Teams and people the decision names (by team name, full or first name, or role), plus team leads."""
        stems = stems_of(text)
        low = text.lower()
        teams, people = [], []
        roster = self.rel.ctx.team
        for team in sorted({m.team for m in roster if m.team}):
            if stems_of(team) & stems and not self.rel.principal.is_me(team):
                teams.append(team)
        for m in roster:
            named = re.search(rf"\b{re.escape(m.name.split()[0])}\b", text) if m.name else None
            role = m.role and m.role.lower() in low
            lead = m.team in teams and not any(x.team == m.team and x.email == m.reports_to for x in roster)
            if (named or role or lead) and not self.rel.principal.is_me(m.email):
                people.append(f"{m.name} ({m.role or 'team'}, {m.team or 'no team'})")
        people += [f"{a} (key account)" for a in self.rel.ctx.key_accounts if a.split()[0].lower() in low]
        return teams, people

    def _team_pulse(self, team: str) -> Insight | None:
        rows = [i for i in self.store.insights.list("pulse.sentiment") if i.subject == f"team:{team}"]
        return max(rows, key=lambda i: i.period) if rows else None

    def _cultural_impact(self, teams: list[str], text: str) -> list[str]:
        out = []
        sizes = {t: sum(1 for m in self.rel.ctx.team if m.team == t) for t in teams}
        flags = [i for i in self.store.insights.list() if i.kind.startswith("pulse.anomaly.")]
        for team in teams:
            line = f"{team} ({sizes[team]} people) is affected"
            pulse = self._team_pulse(team)
            if pulse is not None:
                line += f"; latest pulse {pulse.period}: sentiment {pulse.value:+.2f}"
            team_flags = [f.explanation for f in flags if f.subject == f"team:{team}"]
            if team_flags:
                line += f"; flagged: {team_flags[-1].rstrip('.')}"
            out.append(line + ".")
        for value in self.matcher.matches(text, kinds=("value",)):
            out.append(f"Touches the value \"{value.text}\".")
        return out

    def _risks(self, question: str, options: list[str], teams: list[str]) -> list[str]:
        risks = []
        for option in options:
            for m in _RISKY.finditer(option):
                risks.append(f"{option}: \"{m.group(0)}\" carries execution or people risk.")
        flagged = {i.subject.split(":", 1)[1] for i in self.store.insights.list() if i.kind.startswith("pulse.anomaly.")}
        risks += [f"{t} already shows strain in the team pulse; extra load may deepen it." for t in teams if t in flagged]
        return list(dict.fromkeys(risks))

    @staticmethod
    def _rationale(best: str, scores: dict[str, float], alignment: dict[str, float],
                   weights: dict[str, float]) -> str:
        ranked = ", ".join(f"{o} {s:.2f}" for o, s in sorted(scores.items(), key=lambda x: -x[1]))
        top = max(alignment.items(), key=lambda x: weights.get(x[0], 0) * x[1], default=("", 0.0))
        why = f"; it best advances \"{top[0]}\"" if top[1] > 0 else "; no option clearly advances a stated goal"
        return f"Scores (goal-weighted alignment): {ranked}. Recommended \"{best}\"{why}."

    # -- the journal -------------------------------------------------------------------------------------------
    def journal(self) -> list[Decision]:
        return self.store.decisions.list()

    def due_reviews(self, day: date | None = None) -> list[Decision]:
        """Decisions whose review date has come (review reminders); an outcome note clears the date unless
        another review is asked for."""
        day = day or self.today()
        return [d for d in self.journal() if d.review_on is not None and d.review_on <= day]

    def record_outcome(self, decision_id: int, outcome: str, *, review_again_in_days: int | None = None) -> Decision:
        """Add an outcome note (optionally scheduling another review). Raises DecisionError for an unknown id."""
        decision = next((d for d in self.journal() if d.id == decision_id), None)
        if decision is None:
            raise DecisionError(f"No decision {decision_id}.", next_step="List the journal to find its number.")
        stamp = self.today().isoformat()
        decision.outcome = f"{decision.outcome}\n{stamp}: {outcome}".strip()
        decision.review_on = self.today() + timedelta(days=review_again_in_days) if review_again_in_days else None
        self.store.decisions.save(decision)
        return decision
