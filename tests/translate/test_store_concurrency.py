"""translate.store under concurrency: processes and threads writing and reading the user
translation memory at once lose no unit, migrate the old store once, and never show
SQLite's "database is locked"."""

from __future__ import annotations

import multiprocessing
import os
import sqlite3
import threading
from pathlib import Path

import pytest

from briefgen.translate import store
from briefgen.translate.memory import TranslationMemory, write_tmx

WORKERS = 4
UNITS = 25


def _writer(data_dir: str, worker: int, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """Add UNITS units one transaction each, merge a unit every worker shares, and look
    things up in between; report errors (as text) or "ok"."""
    os.environ["BRIEFGEN_DATA_DIR"] = data_dir
    errors: list[str] = []
    barrier.wait()
    for n in range(UNITS):
        try:
            store.add_units(
                [{"zh-TW": f"第{worker}組第{n}句", "en": f"worker {worker} sentence {n}"}],
                origin=f"worker-{worker}",
            )
            store.add_units([{"zh-TW": "共同的句子", "en": f"shared, last by {worker}"}])
            with store.load_user_memory() as memory:
                if memory.lookup(f"第{worker}組第{n}句", "zh-TW", "en") is None:
                    errors.append(f"unit {n} of worker {worker} not found after adding it")
                memory.best_match(f"第{worker}組第{n}局", "zh-TW", "en", 0.8)
        except Exception as exc:  # reported to the test, which fails on any
            errors.append(f"{type(exc).__name__}: {exc}")
    results.put((worker, errors or ["ok"]))


def _run(ctx: multiprocessing.context.BaseContext, target, args_for) -> dict[int, list[str]]:  # type: ignore[no-untyped-def]
    barrier = ctx.Barrier(WORKERS)
    results = ctx.Queue()
    processes = [
        ctx.Process(target=target, args=(*args_for(worker), barrier, results))
        for worker in range(WORKERS)
    ]
    for process in processes:
        process.start()
    reports = dict(results.get(timeout=600) for _ in processes)
    for process in processes:
        process.join(timeout=600)
        assert process.exitcode == 0
    return reports


def _context() -> multiprocessing.context.BaseContext:
    """Fork where there is fork (quick to start), else spawn."""
    methods = multiprocessing.get_all_start_methods()
    return multiprocessing.get_context("fork" if "fork" in methods else "spawn")


def test_concurrent_writers_lose_nothing_and_migrate_once(tmp_path: Path) -> None:
    data_dir = tmp_path / "data"
    data_dir.mkdir()
    old = TranslationMemory()
    old.add({"zh-TW": "關鍵礦物", "en": "Critical minerals"}, "review:a.xlf")
    old.add({"zh-TW": "數位基礎建設", "en": "Digital infrastructure"}, "review:a.xlf")
    write_tmx(old, data_dir / "memory.tmx")  # an old store, migrated by whoever is first

    reports = _run(_context(), _writer, lambda worker: (str(data_dir), worker))

    assert reports == {worker: ["ok"] for worker in range(WORKERS)}
    os.environ["BRIEFGEN_DATA_DIR"] = str(data_dir)
    try:
        with store.load_user_memory() as memory:
            entries = list(memory.entries())
            assert len(memory) == 2 + WORKERS * UNITS + 1
            assert entries[:2] == list(old.entries())  # migrated once, first
            for worker in range(WORKERS):
                mine = [u for u, origin in entries if origin == f"worker-{worker}"]
                assert mine == [
                    {"zh-TW": f"第{worker}組第{n}句", "en": f"worker {worker} sentence {n}"}
                    for n in range(UNITS)
                ]  # all there, each worker's in its order
            shared = memory.lookup("共同的句子", "zh-TW", "en")
            assert shared is not None and shared.startswith("shared, last by ")
    finally:
        del os.environ["BRIEFGEN_DATA_DIR"]
    assert sorted(p.name for p in data_dir.iterdir() if "sqlite3" not in p.name) == [
        "memory.tmx.migrated"
    ]
    conn = sqlite3.connect(data_dir / "memory.sqlite3")
    try:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    finally:
        conn.close()


def _forked_reader(memory: store.UserMemory, worker: int, barrier, results) -> None:  # type: ignore[no-untyped-def]
    """Use a memory loaded (its connection opened) in the parent before the fork."""
    barrier.wait()
    try:
        found = memory.lookup("關鍵礦物", "zh-TW", "en")
        store.add_units([{"zh-TW": f"子程序{worker}", "en": f"child {worker}"}])
        again = memory.lookup(f"子程序{worker}", "zh-TW", "en")
        results.put((worker, [f"{found}|{again}"]))
    except Exception as exc:
        results.put((worker, [f"{type(exc).__name__}: {exc}"]))


@pytest.mark.skipif(
    "fork" not in multiprocessing.get_all_start_methods(), reason="no fork on this platform"
)
def test_a_memory_loaded_before_a_fork_works_in_the_children(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path / "data"))
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}])
    memory = store.load_user_memory()
    assert memory.lookup("關鍵礦物", "zh-TW", "en") == "Critical minerals"  # connection open

    reports = _run(multiprocessing.get_context("fork"), _forked_reader, lambda w: (memory, w))

    assert reports == {w: [f"Critical minerals|child {w}"] for w in range(WORKERS)}
    assert memory.lookup("子程序3", "zh-TW", "en") == "child 3"  # the parent's still works
    assert len(memory) == 1 + WORKERS
    memory.close()


def test_threads_share_one_memory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BRIEFGEN_DATA_DIR", str(tmp_path / "data"))
    store.add_units([{"zh-TW": "關鍵礦物", "en": "Critical minerals"}])
    memory = store.load_user_memory()
    errors: list[str] = []
    barrier = threading.Barrier(WORKERS + 1)

    def reader() -> None:
        barrier.wait()
        try:
            for _ in range(50):
                assert memory.lookup("關鍵礦物", "zh-TW", "en") == "Critical minerals"
                memory.best_match("關鍵礦产", "zh-TW", "en", 0.5)
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")
        finally:
            memory.close()

    def writer() -> None:
        barrier.wait()
        try:
            for n in range(20):
                store.add_units([{"zh-TW": f"執行緒{n}", "en": f"thread {n}"}])
        except Exception as exc:
            errors.append(f"{type(exc).__name__}: {exc}")

    threads = [threading.Thread(target=reader) for _ in range(WORKERS)]
    threads.append(threading.Thread(target=writer))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert len(memory) == 21
    memory.close()
