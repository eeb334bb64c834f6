"""The search index as a post-build step (see minutebook.index for what is indexed)."""

from __future__ import annotations

from minutebook import index
from minutebook.outputs import StepContext


class SearchIndex:
    name = "search index"

    def run(self, context: StepContext) -> None:
        if not (context.search and context.site.config.search):
            return
        context.figures["search records"] = index.write_index(context.site, context.renderer, context.staging)
