"""Derived intelligence records: commitments, opportunities, decisions, insights.

Commitments and opportunities are keyed by a fingerprint the extractor computes from their evidence, so re-running
extraction over the same mail updates records instead of duplicating them.
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from models import Commitment, Decision, Evidence, Insight, Opportunity
from engine.store.repos.base import Repo, date_iso, dumps, from_iso, loads, now_iso, parse_date


def _evidence(items: list[dict]) -> list[Evidence]:
    return [Evidence(**e) for e in items]


def _kept(conn, table: str, fingerprint: str, data: dict) -> dict:  # noqa: ANN001 - sqlcipher connection
    """`data` with the user's corrections to the stored row laid over it: a re-scan refreshes what the
    extractor found and never undoes what the user said."""
    row = conn.execute(f"SELECT data_json FROM {table} WHERE fingerprint = ?", (fingerprint,)).fetchone()
    fixed = loads(row[0], {}).get(CORRECTED, {}) if row else {}
    return {**data, **fixed, CORRECTED: fixed} if fixed else data


def _overlay(conn, table: str, row_id: int, fields: dict) -> dict | None:  # noqa: ANN001
    """Record `fields` as the user's on row `row_id` (kept across re-scans); returns the new data, None if gone."""
    row = conn.execute(f"SELECT data_json FROM {table} WHERE id = ?", (row_id,)).fetchone()
    if row is None:
        return None
    data = loads(row[0], {})
    data.update(fields)
    data[CORRECTED] = {**data.get(CORRECTED, {}), **fields}
    conn.execute(f"UPDATE {table} SET data_json = ?, updated_at = ? WHERE id = ?", (dumps(data), now_iso(), row_id))
    return data


CORRECTED = "corrected"  # key in data_json: the fields the user set


class CommitmentRepo(Repo):
    def upsert(self, fingerprint: str, item: Commitment) -> int:
        """Insert or refresh by fingerprint; a status the user set (done/dropped) and fields the user corrected
        (owner, text, due) are kept."""
        data = asdict(item)
        data.pop("id")
        with self.store.transaction() as conn:
            data = _kept(conn, "commitments", fingerprint, data)
            conn.execute(
                "INSERT INTO commitments(fingerprint, status, due, data_json, updated_at) VALUES (?,?,?,?,?) "
                "ON CONFLICT(fingerprint) DO UPDATE SET due=excluded.due, data_json=excluded.data_json, "
                "updated_at=excluded.updated_at",
                (fingerprint, item.status, data.get("due") if CORRECTED in data and "due" in data[CORRECTED]
                 else date_iso(item.due), dumps(data), now_iso()),
            )
            item.id = conn.execute("SELECT id FROM commitments WHERE fingerprint = ?", (fingerprint,)).fetchone()[0]
        return item.id

    def correct(self, commitment_id: int, *, status: str | None = None, **fields: str | None) -> bool:
        """The user's correction: `status` (open/done/dropped) and any of owner, counterparty, what, due (ISO
        date or None); kept across re-scans. False when there is no such commitment."""
        with self.store.transaction() as conn:
            data = _overlay(conn, "commitments", commitment_id, fields) if fields else {}
            if data is None:
                return False
            if "due" in fields:
                conn.execute("UPDATE commitments SET due = ? WHERE id = ?", (fields["due"], commitment_id))
            if status is not None:
                conn.execute("UPDATE commitments SET status = ?, updated_at = ? WHERE id = ?",
                             (status, now_iso(), commitment_id))
            return conn.execute("SELECT 1 FROM commitments WHERE id = ?", (commitment_id,)).fetchone() is not None

    def update(self, item: Commitment) -> None:
        """Rewrite the stored commitment `item.id` (status, due, evidence): its fingerprint stays the one the
        extraction gave it, so a later scan refreshes this row instead of adding a twin."""
        data = asdict(item)
        data.pop("id")
        with self.store.transaction() as conn:
            conn.execute("UPDATE commitments SET status = ?, due = ?, data_json = ?, updated_at = ? WHERE id = ?",
                         (item.status, date_iso(item.due), dumps(data), now_iso(), item.id))

    def set_status(self, commitment_id: int, status: str) -> None:
        with self.store.transaction() as conn:
            conn.execute("UPDATE commitments SET status = ?, updated_at = ? WHERE id = ?", (status, now_iso(), commitment_id))

    def list(self, *, status: str | None = None, due_before: date | None = None) -> list[Commitment]:
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT id, status, data_json FROM commitments WHERE (? IS NULL OR status = ?) "
                "AND (? IS NULL OR (due IS NOT NULL AND due <= ?)) ORDER BY coalesce(due, '9999'), id",
                (status, status, date_iso(due_before), date_iso(due_before)),
            ).fetchall()
        out = []
        for cid, stat, data_json in rows:
            data = loads(data_json, {})
            data.pop(CORRECTED, None)
            data.update(id=cid, status=stat, due=parse_date(data.get("due")), evidence=_evidence(data.get("evidence", [])))
            out.append(Commitment(**data))
        return out


class OpportunityRepo(Repo):
    def upsert(self, fingerprint: str, item: Opportunity) -> int:
        """Insert or refresh by fingerprint; fields the user corrected, a dismissal and a merge are kept."""
        data = asdict(item)
        data.pop("id")
        with self.store.transaction() as conn:
            data = _kept(conn, "opportunities", fingerprint, data)
            conn.execute(
                "INSERT INTO opportunities(fingerprint, account, data_json, updated_at) VALUES (?,?,?,?) "
                "ON CONFLICT(fingerprint) DO UPDATE SET account=excluded.account, data_json=excluded.data_json, "
                "updated_at=excluded.updated_at",
                (fingerprint, data.get("account", item.account), dumps(data), now_iso()),
            )
            item.id = conn.execute("SELECT id FROM opportunities WHERE fingerprint = ?", (fingerprint,)).fetchone()[0]
        return item.id

    def correct(self, opportunity_id: int, **fields: object) -> bool:
        """The user's correction (account, kind, stage, amount, currency, close_hint as ISO date, dismissed,
        merged_into, evidence); kept across re-scans. False when there is no such opportunity."""
        with self.store.transaction() as conn:
            data = _overlay(conn, "opportunities", opportunity_id, fields)
            if data is not None and "account" in fields:
                conn.execute("UPDATE opportunities SET account = ? WHERE id = ?", (fields["account"], opportunity_id))
        return data is not None

    def list(self, *, hidden: bool = False) -> list[Opportunity]:
        """The pipeline; `hidden` also returns opportunities the user dismissed or merged into another."""
        with self.store.read() as conn:
            rows = conn.execute("SELECT id, data_json FROM opportunities ORDER BY account").fetchall()
        out = []
        for oid, data_json in rows:
            data = loads(data_json, {})
            data.pop(CORRECTED, None)
            if (data.pop("dismissed", False) or data.pop("merged_into", None)) and not hidden:
                continue
            data.pop("dismissed", None)
            data.pop("merged_into", None)
            data.update(
                id=oid, close_hint=parse_date(data.get("close_hint")), updated_at=from_iso(data.get("updated_at")),
                evidence=_evidence(data.get("evidence", [])),
            )
            out.append(Opportunity(**data))
        return out


class DecisionRepo(Repo):
    def save(self, decision: Decision) -> int:
        data = asdict(decision)
        for key in ("id", "question", "recommendation", "confidence", "review_on", "outcome", "context_version", "created_at"):
            data.pop(key)
        stamp = now_iso()
        with self.store.transaction() as conn:
            if decision.id is None:
                decision.id = conn.execute(
                    "INSERT INTO decisions(question, data_json, recommendation, confidence, review_on, outcome, "
                    "context_version, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?)",
                    (decision.question, dumps(data), decision.recommendation, decision.confidence,
                     date_iso(decision.review_on), decision.outcome, decision.context_version, stamp, stamp),
                ).lastrowid
            else:
                conn.execute(
                    "UPDATE decisions SET question=?, data_json=?, recommendation=?, confidence=?, review_on=?, "
                    "outcome=?, context_version=?, updated_at=? WHERE id=?",
                    (decision.question, dumps(data), decision.recommendation, decision.confidence,
                     date_iso(decision.review_on), decision.outcome, decision.context_version, stamp, decision.id),
                )
        return decision.id

    def list(self) -> list[Decision]:
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT id, question, data_json, recommendation, confidence, review_on, outcome, context_version, "
                "created_at FROM decisions ORDER BY created_at DESC"
            ).fetchall()
        out = []
        for r in rows:
            data = loads(r[2], {})
            data["evidence"] = _evidence(data.get("evidence", []))
            out.append(Decision(
                id=r[0], question=r[1], recommendation=r[3], confidence=r[4], review_on=parse_date(r[5]),
                outcome=r[6], context_version=r[7], created_at=from_iso(r[8]), **data,
            ))
        return out


class InsightRepo(Repo):
    def put(self, insight: Insight) -> None:
        data = {"explanation": insight.explanation, "evidence": [asdict(e) for e in insight.evidence]}
        with self.store.transaction() as conn:
            conn.execute(
                "INSERT INTO insights(kind, subject, period, value, data_json) VALUES (?,?,?,?,?) "
                "ON CONFLICT(kind, subject, period) DO UPDATE SET value=excluded.value, data_json=excluded.data_json",
                (insight.kind, insight.subject, insight.period, insight.value, dumps(data)),
            )

    def list(self, kind: str | None = None) -> list[Insight]:
        with self.store.read() as conn:
            rows = conn.execute(
                "SELECT kind, subject, period, value, data_json, id FROM insights WHERE (? IS NULL OR kind = ?) "
                "ORDER BY kind, subject, period",
                (kind, kind),
            ).fetchall()
        out = []
        for r in rows:
            data = loads(r[4], {})
            out.append(Insight(r[0], r[1], r[2], r[3], data.get("explanation", ""), _evidence(data.get("evidence", [])), r[5]))
        return out
