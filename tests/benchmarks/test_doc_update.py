"""The runner writes its table into docs/benchmarks.md and refuses a bad target before measuring."""

from __future__ import annotations

from pathlib import Path

import pytest

from benchmarks import report, run

DOC = Path(__file__).resolve().parents[2] / "docs" / "benchmarks.md"


def test_splice_replaces_only_what_lies_between_the_markers():
    body = f"intro\n{report.START}\nold figures\n{report.END}\nafter\n"
    assert report.splice(body, "new figures\n") == (
        f"intro\n{report.START}\nnew figures\n{report.END}\nafter\n")


def test_the_default_target_is_the_benchmarks_doc_and_holds_the_markers():
    assert run.DOC == DOC
    text = DOC.read_text()
    current = text.split(report.START, 1)[1].split(report.END, 1)[0]
    assert report.splice(text, current) == text  # written as the runner writes it


@pytest.mark.parametrize("flag", ["--update-doc", "--update-readme"])
def test_a_file_without_markers_is_refused_before_any_measuring(flag, tmp_path, capsys):
    target = tmp_path / "README.md"
    target.write_text("# no markers here\n")
    with pytest.raises(SystemExit) as exit_info:
        run.main([flag, str(target), "--workdir", str(tmp_path / "work")])
    assert exit_info.value.code == 2
    assert "docs/benchmarks.md" in capsys.readouterr().err
    assert not (tmp_path / "work").exists()
