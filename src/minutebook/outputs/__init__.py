"""Post-build steps: everything written beside the rendered pages, in an explicit order.

Each step gets the linked site, the renderer and the staging folder, and writes files
into the staging folder only; the build publishes the folder after the last step.
Search indexing goes through this same interface, as would a council's own step.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

from minutebook.graph import Site
from minutebook.problems import BuildCancelled
from minutebook.render import Renderer

if TYPE_CHECKING:
    from minutebook.outputs.changes import Change


@dataclass
class StepContext:
    site: Site
    renderer: Renderer
    staging: Path
    #: The site's own folder (site_config.yaml, content/), for steps that read history.
    root: Path
    search: bool = True
    #: Figures a step reports, e.g. {"search documents": 86}; printed after the build.
    figures: dict[str, int] = field(default_factory=dict)
    #: How the published record is guarded: a RecordMode of minutebook.outputs.manifest.
    record: str = "off"
    #: Files for the site's own folder (published-manifest.json), written only once the site is published.
    site_files: dict[str, bytes] = field(default_factory=dict)
    #: Set when the build is to stop (see BuildOptions.cancel); a step that waits long looks at it.
    cancel: threading.Event | None = None
    #: Search documents per part of the index; None for minutebook.index.DOCUMENTS_PER_PART.
    search_part_documents: int | None = None
    #: The site this build replaces, if any: a step may reuse what it wrote there (the search
    #: index's unchanged parts).
    published: Path | None = None
    _changes: list[Change] | None = field(default=None, init=False, repr=False)

    def record_changes(self) -> list[Change]:
        """Every dated change the records tell of (outputs.changes), worked out once for the steps
        that read them: the feeds and "what's new" (over 100,000 changes at 10,000 meetings)."""
        if self._changes is None:
            from minutebook.outputs.changes import record_changes

            self._changes = record_changes(self.site)
        return self._changes

    def go_on(self) -> None:
        """Raise BuildCancelled if the build has been asked to stop."""
        if self.cancel is not None and self.cancel.is_set():
            raise BuildCancelled


class PostBuildStep(Protocol):
    """One post-build step. `name` is what progress messages and timings call it."""

    name: str

    def run(self, context: StepContext) -> None: ...


def default_steps() -> list[PostBuildStep]:
    """The built-in steps, in the order they run. Order matters: later steps may read earlier output."""
    from minutebook.outputs.calendar import Calendars
    from minutebook.outputs.feeds import Feeds
    from minutebook.outputs.manifest import PublishedRecord
    from minutebook.outputs.ocd import OcdEvents
    from minutebook.outputs.opendata import OpenData
    from minutebook.outputs.redirects import Redirects
    from minutebook.outputs.search import SearchIndex
    from minutebook.outputs.sitemap import Sitemap
    from minutebook.outputs.whats_new import WhatsNew

    # The search index starts before the pages render and is collected last, so Pagefind keeps
    # indexing while every other step runs. The sitemap lists the pages the steps before it wrote
    # (what's new, not redirects); the search index writes no pages.
    return [
        Calendars(),
        Feeds(),
        WhatsNew(),
        OpenData(),
        OcdEvents(),
        Redirects(),
        PublishedRecord(),
        Sitemap(),
        SearchIndex(),
    ]
