"""briefing: turn a week of science-and-technology news into a Word and Markdown briefing.

The stages can be used from Python without the CLI::

    from briefing.pipeline import build
    from briefing.config import Settings
    report = build(Settings(inputs="inputs", out="outputs"))
"""

__version__ = "0.1.0"
