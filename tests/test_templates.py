"""Templates: init, list and check (briefing.compose.templates, .check, .sample) and docs/templates.md."""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from typer.testing import CliRunner

from briefing import compose
from briefing.cli import app
from briefing.compose import check
from briefing.compose.format import FILTERS, MARKDOWN_FILTERS
from briefing.compose.sample import sample_context, sample_digest
from briefing.compose.templates import init_templates, labelled_search_path, resolve_templates
from briefing.errors import TemplateError

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "templates.md"
REQUIRED_TAGS = "".join(f"{{{{ {name} }}}}\n" for name in check.REQUIRED_VARIABLES)
"""A text that uses every required name, so a test template shows only its own problem."""
AFTER_REQUIRED = len(check.REQUIRED_VARIABLES)
"""Lines :data:`REQUIRED_TAGS` takes at the top of a test template."""
runner = CliRunner()


def run(*args: str):
    return runner.invoke(app, list(args))


@pytest.fixture
def workspace(tmp_path, monkeypatch) -> Path:
    """An empty workspace folder, made the current folder (as staff run the command in it)."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


def markdown_template(folder: Path, source: str) -> Path:
    path = folder / "briefing.md.j2"
    path.write_text(source, encoding="utf-8")
    return path


def word_template(path: Path, *paragraphs: str | list[str], table: list[list[str]] | None = None) -> Path:
    """A .docx whose paragraphs hold the given text; a list is one paragraph typed in several runs."""
    document = docx.Document()
    for paragraph in (REQUIRED_TAGS.strip(), *paragraphs):
        block = document.add_paragraph()
        for number, run in enumerate([paragraph] if isinstance(paragraph, str) else paragraph):
            block.add_run(run).bold = number % 2 == 1  # different formatting, as Word splits runs
    if table:
        grid = document.add_table(rows=len(table), cols=len(table[0]))
        for row, texts in zip(grid.rows, table):
            for cell, text in zip(row.cells, texts):
                cell.text = text
    document.save(str(path))
    return path


def messages(path: Path) -> list[str]:
    return [str(problem) for problem in check.check_template(path)]


# ---------------------------------------------------------------- search path and list


def test_search_path_says_where_each_folder_comes_from(tmp_path):
    option, workspace = tmp_path / "option", tmp_path / "workspace"
    labelled = labelled_search_path(option, workspace)
    assert labelled == [("--templates", option), ("workspace", workspace / "templates"),
                        ("built-in", compose.builtin_templates_dir())]
    assert [folder for _, folder in labelled] == compose.template_search_path(option, workspace)


def test_a_folder_named_twice_is_searched_once_under_both_labels(tmp_path):
    labelled = labelled_search_path(tmp_path / "templates", tmp_path)
    assert [label for label, _ in labelled] == ["--templates = workspace", "built-in"]


def test_list_shows_the_override_and_the_folders_searched(workspace):
    (workspace / "templates").mkdir()
    markdown_template(workspace / "templates", "# {{ title }}\n")
    result = run("templates", "list")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1:3] == ["  1. templates  (workspace)", f"  2. {compose.builtin_templates_dir()}  (built-in)"]
    assert f"briefing.md.j2  {Path('templates') / 'briefing.md.j2'}  (workspace)" in lines
    assert f"briefing.docx  {compose.builtin_templates_dir() / 'briefing.docx'}  (built-in)" in lines


def test_list_with_templates_option_puts_it_first(workspace):
    option = workspace / "mine"
    option.mkdir()
    word_template(option / "briefing.docx")
    result = run("templates", "list", "--templates", str(option))
    lines = result.stdout.splitlines()
    assert lines[1] == f"  1. {option}  (--templates)"
    assert lines[2] == "  2. templates  (workspace, not there)"
    assert f"briefing.docx  {option / 'briefing.docx'}  (--templates)" in lines


def test_resolve_templates_says_none_when_no_folder_has_one(tmp_path):
    assert resolve_templates([tmp_path]) == dict.fromkeys(compose.TEMPLATE_NAMES)


# ---------------------------------------------------------------- init


def test_init_copies_the_builtin_templates_into_the_workspace(workspace):
    result = run("templates", "init")
    assert result.exit_code == 0, result.output
    for name in compose.TEMPLATE_NAMES:
        copy = workspace / "templates" / name
        assert copy.read_bytes() == (compose.builtin_templates_dir() / name).read_bytes()
        assert f"copied {Path('templates') / name}" in result.stdout


def test_init_keeps_existing_templates_and_says_how_to_overwrite(workspace):
    (workspace / "templates").mkdir()
    edited = markdown_template(workspace / "templates", "edited by staff")
    result = run("templates", "init")
    assert result.exit_code == 0, result.output
    assert edited.read_text(encoding="utf-8") == "edited by staff"
    assert f"kept {Path('templates') / 'briefing.md.j2'}" in result.stdout and "--force" in result.stdout
    assert (workspace / "templates" / "briefing.docx").is_file()


def test_init_force_overwrites(workspace):
    option = workspace / "mine"
    option.mkdir()
    edited = markdown_template(option, "edited by staff")
    result = run("templates", "init", "--force", "--templates", str(option))
    assert result.exit_code == 0, result.output
    assert edited.read_bytes() == (compose.builtin_templates_dir() / "briefing.md.j2").read_bytes()
    assert not (workspace / "templates").exists()


def test_init_into_the_builtin_folder_is_refused():
    with pytest.raises(TemplateError, match="--templates DIR"):
        init_templates(compose.builtin_templates_dir(), force=True)


# ---------------------------------------------------------------- check: Markdown


def test_builtin_templates_check_clean(workspace):
    result = run("templates", "check")
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("no problems in ")


def test_markdown_syntax_error_is_named_with_its_line(tmp_path):
    path = markdown_template(tmp_path, REQUIRED_TAGS + "\n{% for a in articles %}\n- {{ a.title }\n{% endfor %}\n")
    assert messages(path) == [f"{path}: line {3 + AFTER_REQUIRED}: Jinja syntax error: unexpected '}}'. {check.SYNTAX_FIX}"]


def test_markdown_unknown_variable_and_loop_item_field_are_named_with_their_lines(tmp_path):
    source = REQUIRED_TAGS + "{{ sumary }}\n{% for row in funding_rows %}\n| {{ row.label }} | {{ row.amount_x }} |\n{% endfor %}\n"
    found = messages(markdown_template(tmp_path, source))
    assert len(found) == 2
    assert f"line {1 + AFTER_REQUIRED}: unknown variable `sumary` (did you mean `summary`?)" in found[0]
    assert f"line {3 + AFTER_REQUIRED}: unknown field `row.amount_x`: `row` has no `amount_x` (did you mean `amount`?)" in found[1]


def test_fields_of_nested_lists_and_dicts_are_checked(tmp_path):
    source = REQUIRED_TAGS + ("{% for s in sections %}{% for e in s.entries %}{{ e.txt }}{% endfor %}{% endfor %}\n"
                              "{{ headline.total }}{{ headline.total_funding }}{{ funding_rows[0].share }}\n")
    found = messages(markdown_template(tmp_path, source))
    assert [re.search(r"unknown field `([^`]+)`", line)[1] for line in found] == ["e.txt", "headline.total"]


def test_names_a_template_defines_itself_are_not_unknown(tmp_path):
    source = REQUIRED_TAGS + ("{% set n = facts | length %}{{ n }}{% for a in articles %}{{ loop.index }}{% endfor %}"
                              "{% for label, count in headline.category_counts.items() %}{{ label }}{{ count }}{% endfor %}\n")
    assert messages(markdown_template(tmp_path, source)) == []


def test_a_missing_required_variable_is_reported(tmp_path):
    path = markdown_template(tmp_path, REQUIRED_TAGS.replace("{{ summary }}\n", ""))
    [problem] = messages(path)
    assert problem.startswith(f"{path}: does not use `summary` (the headline summary)")


def test_an_unknown_filter_lists_the_briefings_filters(tmp_path):
    [problem] = messages(markdown_template(tmp_path, REQUIRED_TAGS + "{{ funding_total | yaun }}\n"))
    assert f"line {1 + AFTER_REQUIRED}: unknown filter `yaun` (did you mean `yuan`?)" in problem
    assert "md_url, pct" in problem


def test_what_only_rendering_finds_is_reported(tmp_path):
    [problem] = messages(markdown_template(tmp_path, REQUIRED_TAGS + "{{ funding_total | pct }}\n"))
    assert f"line {1 + AFTER_REQUIRED}: fails to render the sample week: ValueError" in problem and "take numbers" in problem


# ---------------------------------------------------------------- check: Word


def test_word_unknown_variable_names_its_paragraph(tmp_path):
    path = word_template(tmp_path / "briefing.docx", "本周共{{ article_cont }}篇")
    assert messages(path) == [f"{path}: paragraph “本周共{{{{ article_cont }}}}篇”: unknown variable `article_cont`: "
                              f"the briefing has no such name. Retype it, or use a name listed in docs/templates.md."]


def test_word_unknown_field_in_a_table_row_names_the_cell(tmp_path):
    table = [["{%tr for row in funding_rows %}", ""], ["{{ row.label }}", "{{ row.amount_x }} 元"], ["{%tr endfor %}", ""]]
    [problem] = messages(word_template(tmp_path / "briefing.docx", table=table))
    assert ": table cell “{{ row.amount_x }} 元”: unknown field `row.amount_x`" in problem


def test_word_unknown_list_in_a_row_tag_names_the_tag(tmp_path):
    table = [["{%tr for row in funding_rowz %}"], ["{{ row.label }}"], ["{%tr endfor %}"]]
    [problem] = messages(word_template(tmp_path / "briefing.docx", table=table))
    assert ": {%p/{%tr tag “for row in funding_rowz”: unknown variable `funding_rowz` (did you mean `funding_rows`?)" in problem


def test_word_headers_are_checked_too(tmp_path):
    path = word_template(tmp_path / "briefing.docx")
    document = docx.Document(str(path))
    document.sections[0].header.paragraphs[0].text = "{{ issue_lable }}"
    document.save(str(path))
    [problem] = messages(path)
    assert ": header paragraph “{{ issue_lable }}”: unknown variable `issue_lable` (did you mean `issue_label`?)" in problem


def test_word_tag_split_across_runs_is_reported_with_its_paragraph(tmp_path):
    path = word_template(tmp_path / "briefing.docx", ["签约", "{{ signing_", "summary }}", "。"])
    [problem] = messages(path)
    assert problem.startswith(f"{path}: paragraph “签约{{{{ signing_summary }}}}。”: the tag “{{{{ signing_summary }}}}” "
                              f"is stored by Word in 2 separate pieces")
    assert "type it again in one go" in problem


def test_word_syntax_error_names_its_paragraph(tmp_path):
    [problem] = messages(word_template(tmp_path / "briefing.docx", "{% if headline.previous_week %}上周", "下周"))
    assert ": paragraph “{% if headline.previous_week %}上周”: Jinja syntax error: Unexpected end of template" in problem


def test_word_missing_required_variable_is_reported(tmp_path):
    path = tmp_path / "briefing.docx"
    document = docx.Document()
    document.add_paragraph(REQUIRED_TAGS.replace("{{ week_label }}\n", "").strip())
    document.save(str(path))
    assert messages(path) == [f"{path}: does not use `week_label` (the week the briefing covers), which every briefing "
                              f"must show. Put it back (see docs/templates.md for how the built-in template shows it)."]


def test_a_file_that_is_not_a_docx_is_one_problem(tmp_path):
    path = tmp_path / "briefing.docx"
    path.write_text("not a zip", encoding="utf-8")
    [problem] = messages(path)
    assert problem.startswith(f"{path}: not a readable Word .docx file")


def test_docxtpl_lists_names_but_not_fields_so_check_walks_the_loops(tmp_path):
    """docxtpl's get_undeclared_template_variables sees only top-level names: ``row.amount_x`` passes it."""
    from docxtpl import DocxTemplate

    table = [["{%tr for row in funding_rows %}"], ["{{ row.amount_x }}"], ["{%tr endfor %}"]]
    path = word_template(tmp_path / "briefing.docx", table=table)
    assert DocxTemplate(str(path)).get_undeclared_template_variables(context=sample_context()) == set()
    assert "unknown field `row.amount_x`" in messages(path)[0]


# ---------------------------------------------------------------- check: command line


def test_check_exits_1_and_prints_each_problem_on_its_own_line(workspace):
    option = workspace / "mine"
    option.mkdir()
    markdown_template(option, "{{ title }}\n{{ sumary }}\n")
    result = run("templates", "check", "briefing.md.j2", "--templates", str(option))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[0].startswith(f"{option / 'briefing.md.j2'}: line 2: unknown variable `sumary`")
    left_out = set(check.REQUIRED_VARIABLES) - {"title"}
    assert {re.search(r"does not use `(\w+)`", line)[1] for line in lines[1:-1]} == left_out
    assert lines[-1] == f"{1 + len(left_out)} problem(s) in {option / 'briefing.md.j2'}"


def test_check_accepts_a_file_and_rejects_an_unknown_name(workspace):
    path = word_template(workspace / "draft.docx")
    assert run("templates", "check", str(path)).exit_code == 0
    result = run("templates", "check", "briefing.odt")
    assert result.exit_code == 2
    assert "briefing.docx, briefing.md.j2" in result.output


# ---------------------------------------------------------------- the sample week and docs/templates.md


def context_paths(value: object, prefix: str, mappings: set[str]) -> tuple[set[str], set[str]]:
    """Every ``name``, ``name.field`` and ``name[].field`` in ``value``, and the lists that had no item.

    A dict documented as a ``mapping`` (keys are data, such as category labels) is not entered.
    """
    found, lists, filled = set(), set(), set()

    def visit(item: object, path: str) -> None:
        if isinstance(item, dict) and path not in mappings:
            for key, child in item.items():
                found.add(f"{path}.{key}" if path else key)
                visit(child, f"{path}.{key}" if path else key)
        elif isinstance(item, list):
            lists.add(path)
            filled.update([path] if item else [])
            for child in item:
                visit(child, f"{path}[]")

    visit(value, prefix)
    return found, lists - filled


def documented(section: str) -> dict[str, str]:
    """``name`` → type cell of each table row under ``## section`` in docs/templates.md."""
    body = DOCS.read_text(encoding="utf-8").split(f"\n## {section}\n", 1)[1].split("\n## ", 1)[0]
    return {row[1]: row[2].strip() for row in re.finditer(r"^\| `([^`]+)` \|([^|]*)\|", body, re.M)}


def drift(what: str, missing: set[str], extra: set[str]) -> str:
    """A failure message that says which names differ and where to fix them."""
    lines = [f"docs/templates.md and build_context disagree about {what}."]
    if missing:
        lines.append(f"build_context gives, docs/templates.md does not list: {', '.join(sorted(missing))}. Add a row "
                     f"for each to a table under '## Variables' (| `name` | type | meaning | example |).")
    if extra:
        lines.append(f"docs/templates.md lists, build_context does not give: {', '.join(sorted(extra))}. Remove or "
                     f"rename those rows (build_context is in briefing/compose/context.py).")
    return "\n".join(lines)


def test_documented_variables_are_exactly_the_context_names():
    names = {name for name in documented("Variables") if "." not in name and "[]" not in name}
    context = set(sample_context())
    assert names == context, drift("the top-level names", context - names, names - context)


def test_documented_fields_are_exactly_the_fields_of_list_items_and_dicts():
    docs = documented("Variables")
    mappings = {name for name, kind in docs.items() if kind.startswith("mapping")}
    found, empty = context_paths(sample_context(), "", mappings)
    fields = {path for path in found if "." in path or "[]" in path}
    listed = {name for name in docs if ("." in name or "[]" in name)
              and not any(name.startswith(f"{path}[]") for path in empty)}
    assert listed == fields, drift("the fields of list items and dicts", fields - listed, listed - fields)


def test_documented_filters_are_the_shared_filters():
    listed, shared = set(documented("Filters")), {*FILTERS, *MARKDOWN_FILTERS}
    assert listed == shared, f"filters in docs/templates.md '## Filters': {sorted(listed)}; in " \
                             f"briefing/compose/format.py: {sorted(shared)}. Make the table match."


def test_required_variables_are_context_names_and_documented():
    missing = set(check.REQUIRED_VARIABLES) - set(sample_context())
    assert not missing, f"REQUIRED_VARIABLES in briefing/compose/check.py names {sorted(missing)}, which build_context " \
                        f"no longer gives: update it and '## Checking a template' in docs/templates.md."
    section = DOCS.read_text(encoding="utf-8").split("## Checking a template", 1)[1].split("\n## ", 1)[0]
    assert all(f"`{name}`" in section for name in check.REQUIRED_VARIABLES)


def test_the_sample_week_has_an_item_in_every_list():
    _, empty = context_paths(sample_context(), "", set())
    assert not empty, f"the sample week gives no item in {sorted(empty)}, so their fields cannot be checked: " \
                      f"add an article to briefing/compose/sample.py that produces one."


def test_the_sample_week_names_every_chart(tmp_path):
    from briefing.charts import render_charts

    charts = render_charts(sample_digest(), tmp_path)
    assert {f"{name}_chart" for name in charts} <= set(sample_context())


# ---------------------------------------------------------------- a template edited as staff would


def test_a_template_edited_in_word_is_used_without_code_changes(workspace):
    """Staff copy the template, rename and recolour the masthead and delete a section; build uses it."""
    from docx.shared import RGBColor

    assert run("templates", "init").exit_code == 0
    path = workspace / "templates" / "briefing.docx"
    document = docx.Document(str(path))
    masthead = document.paragraphs[0]
    masthead.runs[0].text = "科技合作动态"
    masthead.runs[0].font.color.rgb = RGBColor(0x1F, 0x4E, 0x79)
    body = document.element.body
    start = next(p._p for p in document.paragraphs if p.text == "六、近期走势")
    end = next(p._p for p in document.paragraphs if p.text == "{%p if other_news %}")
    doomed, node = [], start
    while node is not end:
        doomed.append(node)
        node = node.getnext()
    for node in doomed:
        body.remove(node)
    document.save(str(path))
    assert run("templates", "check").exit_code == 0

    result = run("build", "--inputs", str(ROOT / "inputs"), "--out", "out", "--db", "b.db")
    assert result.exit_code == 0, result.output
    built = docx.Document(str(workspace / "out" / "2020-W52" / "briefing-2020-W52.docx"))
    assert built.paragraphs[0].text == "科技合作动态"
    assert built.paragraphs[0].runs[0].font.color.rgb == RGBColor(0x1F, 0x4E, 0x79)
    texts = [p.text for p in built.paragraphs]
    assert "近期走势" not in "".join(texts) and "一、本周概况" in texts
    assert len(built.inline_shapes) == 2  # the trend chart went with its section
