"""Criteria -> plain English -> verified, one study at a time: translate, verify, repair, decide.

A study is *published* only when its final translation passes the verifier. Otherwise it is *flagged* for a
person (the verifier still objects after every repair, the content filter blocked it, the answer was cut off),
*deferred* (the server asked us to come back later) or *failed* (invalid answers after every re-ask, transport
gave up, no criteria). Every attempt is kept with its calls and findings. Run-level problems (a rejected key,
a configuration the endpoint cannot serve) are raised, not recorded: every other study would fail the same way.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal, Protocol

from translator.domain import Criterion, Study
from translator.render import render_translation
from translator.segment import segment
from translator.translate.cache import Cache, cache_key
from translator.translate.errors import AuthFailed, LLMError
from translator.translate.llm import Answer, LLMClient
from translator.translate.prompts import Problem, Prompt
from translator.translate.readability import readability
from translator.translate.record import (
    AttemptRecord,
    CachedOutcome,
    CallRecord,
    Coverage,
    FindingRecord,
    Status,
    StudyRecord,
)
from translator.translate.schema import PlainTranslation, criterion_ids
from translator.translate.settings import Settings
from translator.translate.usage import PriceTable, UsageTotal
from translator.verify import Verdict, verify


class Backend(Protocol):
    @property
    def prompt(self) -> Prompt | None:
        """The prompt the backend sends (None for the offline renderer): part of the record and the cache key."""
        ...

    def translate(self, criteria: Sequence[Criterion], study: str | None) -> Answer: ...

    def close(self) -> None: ...

    def repair(
        self, criteria: Sequence[Criterion], study: str | None, previous: PlainTranslation, problems: list[Problem]
    ) -> Answer | None:
        """A corrected translation, or None when this backend cannot repair."""
        ...


class RulesBackend:
    """The offline renderer: deterministic, no calls; a repair falls back to the criteria's own words."""

    @property
    def prompt(self) -> Prompt | None:
        return None

    def translate(self, criteria: Sequence[Criterion], study: str | None) -> Answer:
        return Answer(render_translation(criteria), ())

    def close(self) -> None:
        pass

    def repair(
        self, criteria: Sequence[Criterion], study: str | None, previous: PlainTranslation, problems: list[Problem]
    ) -> Answer | None:
        """The renderer's repair: criteria the verifier flagged are given in their own words. A finding that
        names no criterion (an addition) cannot be placed, so then every criterion is."""
        flagged = {p.criterion_id for p in problems if p.criterion_id}
        if any(p.criterion_id is None for p in problems):
            flagged = {c.id for c in criteria}
        by_id = {c.id: c for c in criteria}
        already = {
            cid
            for item in (*previous.inclusion, *previous.exclusion)
            for cid in item.covers
            if cid in by_id and item.text == " ".join(by_id[cid].text.split())
        }
        literal = flagged | already
        if literal <= already:
            return None  # nothing new to try
        return Answer(render_translation(criteria, literal=literal), ())


class LLMBackend:
    """The model behind an OpenAI-compatible endpoint, asked through the versioned prompt."""

    def __init__(self, client: LLMClient, prompt: Prompt) -> None:
        self.client = client
        self._prompt = prompt

    @property
    def prompt(self) -> Prompt:
        return self._prompt

    def translate(self, criteria: Sequence[Criterion], study: str | None) -> Answer:
        return self.client.complete(self._prompt.first(criteria, study), criterion_ids(criteria), _ids(criteria))

    def close(self) -> None:
        self.client.close()

    def repair(
        self, criteria: Sequence[Criterion], study: str | None, previous: PlainTranslation, problems: list[Problem]
    ) -> Answer | None:
        messages = self._prompt.repair_messages(criteria, study, previous, problems)
        return self.client.complete(messages, criterion_ids(criteria), _ids(criteria))


@dataclass(frozen=True)
class Outcome:
    record: StudyRecord
    markdown: str | None
    """The Markdown of the final translation (published or, for a reviewer, flagged); None without one."""
    usage: UsageTotal
    """Usage of the calls made for this study in this run (zero on a cache hit)."""


class Pipeline:
    def __init__(self, settings: Settings, backend: Backend, prices: PriceTable, *, cache: Cache | None = None) -> None:
        self.settings = settings
        self.backend = backend
        self.prices = prices
        self.cache = cache if backend.prompt is not None else None

    def close(self) -> None:
        self.backend.close()
        if self.cache is not None:
            self.cache.close()

    def run(self, study: Study) -> Outcome:
        criteria = segment(study.criteria, study.default_section)
        if not criteria:
            return self._finish(study, criteria, [], status="failed", reason="no_criteria", message="no criteria")
        prompt = self.backend.prompt
        key = cache_key(criteria, prompt=prompt, settings=self.settings) if self.cache is not None and prompt else None
        cached = self.cache.get(key) if self.cache is not None and key else None
        if cached is not None:
            return self._finish(study, criteria, cached.attempts, key=key, hit=True)
        attempts, error = self._attempts(study, criteria)
        if error is not None:
            state, reason = error.state, error.reason
            return self._finish(study, criteria, attempts, status=state, reason=reason, message=str(error), key=key)
        if self.cache is not None and key and prompt:
            self.cache.put(key, CachedOutcome(attempts=attempts), prompt_id=prompt.prompt_id, model=self.settings.model)
        return self._finish(study, criteria, attempts, key=key)

    def _attempts(self, study: Study, criteria: Sequence[Criterion]) -> tuple[list[AttemptRecord], LLMError | None]:
        attempts: list[AttemptRecord] = []
        previous: PlainTranslation | None = None
        problems: list[Problem] = []
        for number in range(1, 2 + self.settings.repairs):
            kind: Literal["translate", "repair"] = "translate" if previous is None else "repair"
            try:
                if previous is None:
                    answer: Answer | None = self.backend.translate(criteria, study.nct_id)
                else:
                    answer = self.backend.repair(criteria, study.nct_id, previous, problems)
            except AuthFailed:
                raise
            except LLMError as exc:
                calls = [CallRecord.of(c) for c in exc.calls]
                attempts.append(AttemptRecord(kind=kind, number=number, calls=calls, error=str(exc)))
                return attempts, exc
            if answer is None:
                break
            verdict = verify(study.criteria, criteria, answer.translation.to_markdown())
            attempts.append(_attempt(kind, number, answer, verdict))
            if verdict.passed:
                break
            previous = answer.translation
            problems = [Problem(f.criterion_id, f.kind, f.severity, f.message) for f in verdict.findings]
        return attempts, None

    def _finish(
        self,
        study: Study,
        criteria: Sequence[Criterion],
        attempts: list[AttemptRecord],
        *,
        status: Status | None = None,
        reason: str | None = None,
        message: str | None = None,
        key: str | None = None,
        hit: bool = False,
    ) -> Outcome:
        last = next((a for a in reversed(attempts) if a.translation is not None), None)
        final = last.translation if last is not None else None
        verdict, findings = _judge(study, criteria, last, fresh=not hit)
        if status is None:
            status = "published" if verdict == "pass" else "flagged"
            reason = None if status == "published" else "verifier"
        usage = sum((a.usage() for a in attempts), UsageTotal())
        prompt = self.backend.prompt
        record = StudyRecord(
            nct_id=study.nct_id,
            source=study.origin.describe(),
            status=status,
            reason=reason,
            message=message,
            settings=self.settings.describe(),
            prompt={"id": prompt.prompt_id, "sha256": prompt.sha256} if prompt else None,
            cache={"hit": hit, "key": key} if key else {},
            translation=final,
            coverage=_coverage(criteria, final),
            verdict=verdict,
            findings=findings,
            attempts=attempts,
            usage=usage.to_json(),
            cost=self.prices.cost_json(self.settings.model, usage),
            readability=readability(final) if final is not None else None,
        )
        markdown = final.to_markdown() if final is not None else None
        return Outcome(record, markdown, UsageTotal() if hit else usage)


def _judge(
    study: Study, criteria: Sequence[Criterion], last: AttemptRecord | None, *, fresh: bool
) -> tuple[Literal["pass", "flag"] | None, list[FindingRecord]]:
    """The verdict on the final translation: the one just computed, or (from the cache) a new one."""
    if last is None or last.translation is None:
        return None, []
    if fresh and last.verdict is not None:
        return last.verdict, list(last.findings)
    verdict = verify(study.criteria, criteria, last.translation.to_markdown())
    return verdict.verdict, [FindingRecord.of(f) for f in verdict.findings]


def _attempt(kind: Literal["translate", "repair"], number: int, answer: Answer, verdict: Verdict) -> AttemptRecord:
    return AttemptRecord.model_validate(
        {
            "kind": kind,
            "number": number,
            "calls": [CallRecord.of(c).model_dump() for c in answer.calls],
            "translation": answer.translation.model_dump(),
            "verdict": verdict.verdict,
            "findings": [FindingRecord.of(f).model_dump() for f in verdict.findings],
        }
    )


def _ids(criteria: Sequence[Criterion]) -> list[str]:
    return [c.id for c in criteria]


def _coverage(criteria: Sequence[Criterion], translation: PlainTranslation | None) -> Coverage:
    expected = criterion_ids(criteria)
    items = (*translation.inclusion, *translation.exclusion) if translation is not None else ()
    covered = {cid for item in items for cid in item.covers}
    return Coverage(
        expected=expected,
        covered=[c for c in expected if c in covered],
        missing=[c for c in expected if c not in covered],
    )
