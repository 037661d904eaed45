"""Components the settings shape are rebuilt when those settings change (`settings_did_change`), without a restart
and without anyone clearing a cache by hand; a shared one is handed over and the old one closed."""

from __future__ import annotations

from app.holders import Swappable
from engine.events import SETTINGS_DID_CHANGE, EventBus


class Thing:
    def __init__(self, n: int) -> None:
        self.n, self.closed = n, False

    def close(self) -> None:
        self.closed = True


def _counter() -> tuple[list[Thing], object]:
    made: list[Thing] = []

    def build() -> Thing:
        made.append(Thing(len(made)))
        return made[-1]

    return made, build


def test_a_component_is_rebuilt_only_after_a_setting_it_depends_on_changes() -> None:
    bus, (made, build) = EventBus(), _counter()
    holder = Swappable(build, depends_on=("whisper_model_path",), close=Thing.close).follow(bus)
    first = holder.get()
    assert holder.get() is first and len(made) == 1
    bus.emit(SETTINGS_DID_CHANGE, names=["theme"])
    assert holder.get() is first  # not its setting
    bus.emit(SETTINGS_DID_CHANGE, names=["theme", "whisper_model_path"])
    assert first.closed and not holder.built  # rebuilt on its next use (building may load a model)
    assert holder.get().n == 1


def test_a_shared_component_is_handed_over_at_once_and_the_old_one_closed() -> None:
    bus, (made, build) = EventBus(), _counter()
    handed: list[Thing] = []
    holder = Swappable(build, depends_on=("llm_threads",), close=Thing.close, swapped=handed.append).follow(bus)
    bus.emit(SETTINGS_DID_CHANGE, names=["llm_threads"])
    assert made == [] and handed == []  # never built: nothing to hand over
    old = holder.get()
    bus.emit(SETTINGS_DID_CHANGE, names=["llm_threads"])
    assert handed == [made[1]] and holder.peek() is made[1] and old.closed


def test_changing_the_chat_engine_or_cloud_settings_needs_no_restart(services) -> None:
    """Through the app's own wiring: a changed thread count gives the shared LLM service a new chat engine (same
    service, old engine closed); a cloud setting rebuilds the service over the same engine; other settings leave
    both alone. Nothing here loads a model (runtimes load on first request)."""
    service, engine = services.llm_service, services.llm_runtime
    assert service.runtime is engine
    services.save_settings(theme="dark")
    assert services.llm_service is service and services.llm_runtime is engine
    services.save_settings(llm_threads=2)
    assert services.llm_service is service and service.runtime is services.llm_runtime is not engine
    engine = services.llm_runtime
    services.save_settings(cloud_latency_budget_s=services.settings.cloud_latency_budget_s + 1)
    assert services.llm_service is not service and services.llm_service.runtime is engine


def test_saving_an_unchanged_value_announces_nothing(services) -> None:
    heard: list[dict] = []
    services.bus.subscribe(SETTINGS_DID_CHANGE, lambda _name, payload: heard.append(payload))
    services.save_settings(theme=services.settings.theme)
    services.save_settings(theme="light" if services.settings.theme != "light" else "dark")
    assert heard == [{"names": ["theme"]}]
