"""Settings > Memory: the facts Reflex remembers can be added, edited and forgotten in the app."""

from __future__ import annotations


def test_memory_items_are_added_edited_and_forgotten(qtbot, main_window, services):  # noqa: ANN001
    services.memory.remember("The board meets on the first Tuesday")
    settings = main_window.show_page("settings")
    with qtbot.waitSignal(settings.loaded, timeout=10000):
        settings.refresh()
    assert [settings.memory_list.item(i).text() for i in range(settings.memory_list.count())] == [
        "The board meets on the first Tuesday"]
    settings.memory_text.setText("My EA is Jane Park")
    settings.add_memory()
    qtbot.waitUntil(lambda: settings.memory_list.count() == 2, timeout=10000)
    assert settings.status.text() == "Remembered." and settings.memory_text.text() == ""
    settings.memory_list.setCurrentRow(1)
    assert settings.memory_text.text() == "My EA is Jane Park"  # picking a fact puts it up for editing
    settings.memory_text.setText("My EA is Jane Park (jane@northwind.example)")
    settings.update_memory()
    qtbot.waitUntil(lambda: settings.status.text() == "Saved.", timeout=10000)
    assert [m.text for m in services.memory.items()][1] == "My EA is Jane Park (jane@northwind.example)"
    # An empty fact is refused with the reason, and nothing changes.
    settings.memory_list.setCurrentRow(0)
    settings.memory_text.setText("   ")
    settings.update_memory()
    qtbot.waitUntil(lambda: "cannot be empty" in settings.status.text(), timeout=10000)
    assert len(services.memory.items()) == 2
    settings.memory_list.setCurrentRow(0)
    settings.forget_memory()
    qtbot.waitUntil(lambda: settings.status.text() == "Forgotten.", timeout=10000)
    assert [m.text for m in services.memory.items()] == ["My EA is Jane Park (jane@northwind.example)"]
    assert settings.memory_list.count() == 1
