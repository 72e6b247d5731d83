"""The image tag names the build context's content, so registries can keep every tag immutable."""

from __future__ import annotations

import shutil
from pathlib import Path

from components.image import BUILD_INPUTS, TAG_PREFIX, source_tag
from tests.container.dockerignore import context_files, copy_context

ROOT = Path(__file__).resolve().parents[2]


def test_the_tag_covers_exactly_what_dockerignore_sends():
    sent = {p.split("/", 1)[0] for p in context_files(ROOT)}
    assert sent == set(BUILD_INPUTS)


def test_the_same_context_gives_the_same_tag_anywhere(tmp_path):
    copy_context(ROOT, tmp_path)
    tag = source_tag(tmp_path)
    assert tag.startswith(TAG_PREFIX) and len(tag) == len(TAG_PREFIX) + 16
    assert source_tag(tmp_path) == tag == source_tag(ROOT)


def test_a_changed_source_file_changes_the_tag_and_caches_do_not(tmp_path):
    copy_context(ROOT, tmp_path)
    before = source_tag(tmp_path)
    cache = tmp_path / "pipeline" / "__pycache__"
    cache.mkdir(exist_ok=True)
    (cache / "cli.cpython-311.pyc").write_bytes(b"bytecode")
    assert source_tag(tmp_path) == before
    (tmp_path / "pipeline" / "cli.py").write_text("# edited\n", encoding="utf-8")
    assert source_tag(tmp_path) != before


def test_a_renamed_file_changes_the_tag(tmp_path):
    copy_context(ROOT, tmp_path)
    before = source_tag(tmp_path)
    shutil.move(tmp_path / "pipeline" / "report.py", tmp_path / "pipeline" / "reports.py")
    assert source_tag(tmp_path) != before
