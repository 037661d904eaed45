"""The learned layer's contract: it answers as the rules do until corrected, a pattern moves in a few similar
corrections (by words, or by the embedding when the words differ), and the weights round-trip through the store."""

from __future__ import annotations

import numpy as np

from engine.assistant.priority_model import PriorityModel, features
from engine.assistant.signals import MessageSignals


def _sig(text: str, kind: str = "unknown") -> MessageSignals:
    return MessageSignals(message_id=1, sender="x@y.example", sender_name="", sender_kind=kind, text=text.lower())


def _near(axis: int, noise: int) -> np.ndarray:
    v = np.random.default_rng(noise).normal(0, 0.05, 16).astype(np.float32)
    v[axis] += 1.0
    return v


def test_without_corrections_it_is_the_rules() -> None:
    model = PriorityModel()
    for rule in ("urgent", "important", "normal", "low"):
        assert model.predict(features(_sig("anything at all"), rule)).priority == rule


def test_similar_meaning_in_other_words_moves_with_the_embedding() -> None:
    model = PriorityModel()
    corrected = [(features(_sig(t), "normal", _near(0, i)), "important")
                 for i, t in enumerate(["invitation to tender for crane maintenance",
                                        "tender notice for fleet telematics"])]
    model.fit(corrected)
    unseen = features(_sig("public procurement call: depot sensors, bids due in June"), "normal", _near(0, 7))
    other = features(_sig("lunch on thursday?"), "normal", _near(5, 8))
    assert model.predict(unseen).priority == "important"  # no word in common, same meaning
    assert model.predict(other).priority == "normal"
    again = PriorityModel()
    assert again.load(model.dump()) and again.predict(unseen) == model.predict(unseen)


def test_triage_reads_the_embeddings_the_search_index_stored(store) -> None:  # noqa: ANN001
    from datetime import datetime, timezone

    from engine.assistant.triage import TriageEngine
    from models import Chunk, Contact, Message

    me = Contact("ines@tidewater.example", "Ines Carvalho")
    store.settings.set("assistant.me", {"emails": [me.email], "name": me.name})
    texts = [("Invitation to tender: crane maintenance. Documents for the maintenance framework are on the portal "
              "for registered suppliers.", 0),
             ("Tender notice: fleet telematics. The telematics tender documents are on the portal for registered "
              "suppliers.", 0),
             ("Public procurement call: depot sensors. Bidders may download specifications from our procurement "
              "website.", 0),
             ("Lunch on Thursday? We could try the new place near the office after the weekly team meeting.", 5)]
    ids = []
    for i, (subject, axis) in enumerate(texts):
        msg = Message(account="t", provider_id=f"p{i}", thread_key=f"t{i}", subject=subject,
                      sender=Contact(f"buyer{i}@org{i}.example", ""), to=[me], body_text=subject,
                      sent_at=datetime(2026, 5, 4 + i, 9, tzinfo=timezone.utc))
        store.messages.upsert([msg])
        chunk = Chunk("email", msg.id, subject, content_hash=f"h{i}")
        store.chunks.write_source("email", msg.id, [chunk])
        store.embeddings.put("test-model", [(chunk.id, f"h{i}", 16, _near(axis, i).tobytes())])
        ids.append(msg.id)
    engine = TriageEngine(store)
    assert engine.triage(ids[2]).priority == "normal"
    engine.correct(ids[0], "priority", "important")
    engine.correct(ids[1], "priority", "important")
    assert engine.triage(ids[2]).priority == "important"  # shares no word with the corrected mail
    assert engine.triage(ids[3]).priority == "normal"


def test_a_changed_correction_refits_the_stored_model(store) -> None:  # noqa: ANN001
    from datetime import datetime, timezone

    from engine.assistant.triage import TriageEngine
    from models import Contact, Message

    me = Contact("ines@tidewater.example", "Ines Carvalho")
    store.settings.set("assistant.me", {"emails": [me.email], "name": me.name})
    msg = Message(account="t", provider_id="p", thread_key="t", subject="Tender notice: depot monitoring",
                  sender=Contact("buyer@org.example", ""), to=[me], sent_at=datetime(2026, 5, 4, tzinfo=timezone.utc),
                  body_text="Tender notice: depot monitoring. Documents are on the portal for registered suppliers.")
    store.messages.upsert([msg])
    TriageEngine(store).correct(msg.id, "priority", "important")
    first = store.settings.get("learning.priority_model")["fitted_on"]
    TriageEngine(store).correct(msg.id, "priority", "low")  # the same message, re-corrected
    assert store.settings.get("learning.priority_model")["fitted_on"] != first
