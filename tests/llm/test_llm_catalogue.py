"""GGUF header reader and model catalogue: real bundled model, crafted bad files, round-trip fuzz."""

from __future__ import annotations

import math
import struct
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from engine.llm.catalogue import ModelCatalogue, describe_model
from engine.llm.errors import ModelUnavailable
from engine.llm.gguf import GGUFFormatError, read_gguf


def _s(text: str) -> bytes:
    raw = text.encode()
    return struct.pack("<Q", len(raw)) + raw


def write_gguf(path: Path, kv: dict[str, object], tensors: list[tuple[str, list[int], int]] = (),
               data: bytes = b"") -> None:
    """A minimal GGUF v3 writer (strings, ints, floats, string arrays) for tests."""
    out = bytearray(b"GGUF" + struct.pack("<IQQ", 3, len(tensors), len(kv)))
    for key, value in kv.items():
        out += _s(key)
        if isinstance(value, str):
            out += struct.pack("<I", 8) + _s(value)
        elif isinstance(value, bool):
            out += struct.pack("<I?", 7, value)
        elif isinstance(value, int):
            out += struct.pack("<Iq", 11, value)
        elif isinstance(value, float):
            out += struct.pack("<Id", 12, value)
        else:
            out += struct.pack("<IIQ", 9, 8, len(value)) + b"".join(_s(v) for v in value)
    offset = 0
    for name, dims, ggml_type in tensors:
        out += _s(name) + struct.pack("<I", len(dims)) + b"".join(struct.pack("<Q", d) for d in dims)
        out += struct.pack("<IQ", ggml_type, offset)
        offset += 4 * math.prod(dims)
    out += b"\0" * (-len(out) % 32)
    path.write_bytes(bytes(out) + data)


def test_bundled_model_metadata(model_path):
    info = describe_model(model_path, bundled=True)
    assert info.architecture == "llama"
    assert info.quantization == "Q4_1"
    assert info.context_length == 8192
    assert 130e6 < info.n_parameters < 140e6
    assert "<|im_start|>" in info.chat_template
    assert read_gguf(model_path).data_end == model_path.stat().st_size


def test_refuses_non_gguf(tmp_path):
    bad = tmp_path / "notes.gguf"
    bad.write_bytes(b"PK\x03\x04 this is a zip file" * 10)
    with pytest.raises(ModelUnavailable, match="not a GGUF") as err:
        describe_model(bad)
    assert err.value.next_step


def test_refuses_truncated_gguf(tmp_path, model_path):
    cut = tmp_path / "cut.gguf"
    with open(model_path, "rb") as src:
        cut.write_bytes(src.read(20_000_000))
    with pytest.raises(ModelUnavailable, match="truncated"):
        describe_model(cut)
    header_cut = tmp_path / "header_cut.gguf"
    with open(model_path, "rb") as src:
        header_cut.write_bytes(src.read(1000))
    with pytest.raises(ModelUnavailable, match="truncated"):
        describe_model(header_cut)


def test_refuses_unknown_architecture(tmp_path):
    odd = tmp_path / "odd.gguf"
    write_gguf(odd, {"general.architecture": "notarealarch", "general.name": "odd"})
    assert read_gguf(odd).architecture == "notarealarch"
    with pytest.raises(ModelUnavailable, match="cannot load"):
        describe_model(odd)


@settings(max_examples=60, deadline=None)
@given(kv=st.dictionaries(st.text(min_size=1, max_size=20),
                          st.one_of(st.text(max_size=50), st.integers(-2**62, 2**62),
                                    st.booleans(), st.lists(st.text(max_size=10), max_size=80)),
                          max_size=8),
       dims=st.lists(st.integers(1, 64), min_size=1, max_size=3))
def test_header_round_trip(tmp_path_factory, kv, dims):
    path = tmp_path_factory.mktemp("g") / "m.gguf"
    write_gguf(path, kv, [("w", dims, 0)], data=b"\0" * (4 * math.prod(dims)))
    header = read_gguf(path)
    for key, value in kv.items():
        if isinstance(value, list) and len(value) > 64:
            assert header.array_lengths[key] == len(value) and key not in header.metadata
        else:
            assert header.metadata[key] == value
    assert header.n_parameters == math.prod(dims)


@settings(max_examples=60, deadline=None)
@given(blob=st.binary(max_size=300))
def test_garbage_never_crashes_reader(tmp_path_factory, blob):
    path = tmp_path_factory.mktemp("g") / "x.gguf"
    path.write_bytes(b"GGUF" + blob)
    try:
        read_gguf(path)
    except GGUFFormatError:
        pass


def test_catalogue_add_default_remove(tmp_path, model_path):
    state: dict = {}
    cat = ModelCatalogue(load=lambda: state.get("v"), save=lambda v: state.__setitem__("v", v),
                         bundled=model_path)
    assert cat.default().bundled
    user_copy = tmp_path / "mine.gguf"
    user_copy.symlink_to(model_path)
    info = cat.add(user_copy)
    assert info.key == model_path.stem  # symlink resolves to the real file
    other = tmp_path / "other" / "Custom.gguf"
    other.parent.mkdir()
    other.write_bytes(model_path.read_bytes())
    added = cat.add(other)
    cat.set_default("Custom")
    assert cat.default().path == added.path
    assert state["v"]["default"] == str(added.path)
    with pytest.raises(ModelUnavailable):
        cat.add(tmp_path / "missing.gguf")
    cat.remove("Custom")
    assert cat.default().bundled
    with pytest.raises(ModelUnavailable, match="bundled"):
        cat.remove(model_path.stem)
