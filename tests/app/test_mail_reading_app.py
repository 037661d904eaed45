"""The app's background mail reading, wired (#15 item 5): once a local server's model is measured capable, the
reading wakes by itself, reads the recent mail through the app's one LLM service, and what it quoted shows on the
app's own pages (the Insights pipeline, the briefing's triage) through the facade; the bundled model reads nothing
(see also test_background_jobs)."""

from __future__ import annotations

import json
import threading
from datetime import datetime, timedelta, timezone

import pytest

from app.context import AppContext
from app.facade import Facade
from app.services import Services
from engine.events import STORE_DID_CHANGE
from engine.llm.capability import Tier
from models import Contact, Message
from tests.fakes import scripted_model
from tests.fakes.ollama_server import FakeOllama
from tests.usecases.test_mail_reading import HEADS_UP, PORTO, READINGS  # the mails and what a model quotes


def reply(body: dict) -> str:
    """A capable model: the probe's items answered well, and each mail read as READINGS says."""
    prompt = next(m["content"] for m in reversed(body["messages"]) if m["role"] == "user")
    if prompt.startswith("Read this email."):
        subject = next(line.removeprefix("Subject: ") for line in prompt.splitlines() if line.startswith("Subject: "))
        return json.dumps(READINGS.get(subject, {}))
    return scripted_model.good(body)


@pytest.fixture()
def ollama():
    server = FakeOllama(reply=reply, chunk_size=64, chunk_delay_s=0.0)
    yield server
    server.stop()


def test_a_measured_capable_model_reads_mail_and_the_pages_show_it(store, ollama) -> None:  # noqa: ANN001
    sent = datetime.now(timezone.utc) - timedelta(days=1)
    store.messages.upsert([
        Message("a", "p1", "t1", "Porto", Contact("ana@portoretail.example", "Ana"), body_text=PORTO, sent_at=sent,
                to=[Contact("ines@tidewater.example", "Ines")]),
        Message("a", "p2", "t2", "Heads-up", Contact("desk@harbourhall.example", "Desk"), body_text=HEADS_UP,
                sent_at=sent, to=[Contact("ines@tidewater.example", "Ines")])])
    ctx = AppContext(home=store.path.parent, log=False)
    ctx._store = store  # noqa: SLF001 - share the fixture's open store
    services = Services(ctx, measure_models=True)
    try:
        facade = Facade(services)
        assert facade.insights().pipeline == []  # the rules alone see no deal here
        services.save_settings(local_server_urls=[ollama.url])
        reading = services.jobs.mail_reading
        reading.follow()
        merged = threading.Event()
        services.bus.subscribe(STORE_DID_CHANGE, lambda _name, _payload: merged.set())
        facade.use_chat_model("ollama:llama3.2:3b")  # measured in the background; the measurement wakes the reading
        server = services.engines.local_server_model()
        assert services.prober.ensure(server.capability_id, services.llm_runtime,
                                      use_grammar=False).result(120).tier >= Tier.REPHRASE
        assert merged.wait(60), "the reading did not run after the measurement"
        assert reading.finished.wait(60) and reading.last.read == 2
        [deal] = facade.insights().pipeline
        assert (deal.amount, deal.currency) == (80_000.0, "EUR")
        facade.briefing()  # the Today page's refresh re-runs triage: the model's reason stays
        heads_up = store.messages.id_for("a", "p2")
        verdict = store.triage.get(heads_up)
        assert verdict.priority == "urgent" and "auditors arrive" in verdict.reason
    finally:
        services.close()
