"""Worst-case Markdown inputs at each stored field's length limit: CPU
seconds to render (markdown-it-py, then nh3, then the plain text), against
the MARKDOWN_RENDER_BUDGET default.

    .venv/bin/python bench/markdown_render.py [--length N] [--python-markdown]

--python-markdown also times the former renderer (the Markdown package,
no longer a dependency: pip install it first) on the first 8,000
characters of each input (it is quadratic: the whole lengths would take
minutes to hours).
"""

from __future__ import annotations

import argparse
import time

from cnig_share.markdown import DEFAULT_BUDGET, sanitised_html, text_of

# The longest Markdown text each form, the API and the imports accept.
FIELDS = {
    "resource body": 200_000,
    "roadmap": 100_000,
    "project description": 50_000,
    "actor description, term definition, selection introduction": 20_000,
}


def hostile(length: int) -> dict[str, str]:
    """Inputs known to make Markdown parsers slow, cut to `length` characters."""
    patterns = {
        "[ run": "[",
        "] run": "]",
        "* run": "*",
        "_ run": "_",
        "` run": "`",
        "< run": "<",
        "> run (nested quotes)": ">",
        "![ run": "![",
        "[a]( run": "[a](",
        "[a][ run": "[a][",
        "*a run": "*a",
        "**a_ run": "**a_",
        "<a run": "<a ",
        "&#1; entity run": "&#1;",
        "&amp entity run": "&amp",
        "nested lists": "- ",
        "nested list lines": "".join(f"{'  ' * i}- x\n" for i in range(40)),
        "nested quotes lines": "".join(f"{'>' * i} x\n" for i in range(40)),
        "table rows": "|a|b|c|\n|-|-|-|\n" + "|x|y|z|\n" * 10,
        "table columns": "|" + "a|" * 500 + "\n|" + "-|" * 500 + "\n",
        "link reference definitions": "[a]: /x\n",
        "emphasis pairs": "*a **b** c* ",
        "backslashes": "\\",
        "html comment opens": "<!--",
        "deflist": "a\n: b\n",
        "plain French": "Une phrase ordinaire sur la donnée géographique. ",
    }
    return {name: (unit * (length // len(unit) + 1))[:length] for name, unit in patterns.items()}


def cpu_seconds(render, text: str) -> float:
    started = time.thread_time()
    render(text)
    return time.thread_time() - started


def stored(text: str) -> str:
    return text_of(sanitised_html(text))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--length", type=int, help="one length instead of each field's limit")
    parser.add_argument("--python-markdown", action="store_true")
    options = parser.parse_args()
    lengths = {"given length": options.length} if options.length else FIELDS
    print(f"budget: {DEFAULT_BUDGET} s of CPU")
    for field, length in lengths.items():
        print(f"\n{field}: {length:,} characters")
        figures = {name: cpu_seconds(stored, text) for name, text in hostile(length).items()}
        for name, seconds in sorted(figures.items(), key=lambda item: -item[1]):
            print(f"  {name:<28} {seconds * 1000:8.0f} ms")
        print(f"  worst: {max(figures.values()) * 1000:.0f} ms")
    if options.python_markdown:
        import markdown

        print("\nPython-Markdown (extra, sane_lists), first 8,000 characters:")
        for name, text in hostile(8_000).items():
            seconds = cpu_seconds(lambda t: markdown.markdown(t, extensions=["extra"]), text)
            print(f"  {name:<28} {seconds * 1000:8.0f} ms")


if __name__ == "__main__":
    main()
