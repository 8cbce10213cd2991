"""All writes of the knowledge capability: items (with history), the search index, anonymous usage
counts, recommendation status updates, round-table sessions and statements, and the seed loader.

No personal data of data subjects passes here, so nothing is written to the processing log. The
usage counts hold no user, session, organisation or address: only item, day, kind of visitor
(the domain of the organisation acted for, or "public") and event.

One module per sub-entity: `items`, `usage`, `recommendations`, `roundtable` and `load`; shared
constants and text helpers in `_common`. Callers import from this package.
"""

from schakel.core.concurrency import StaleEdit

from .items import ITEM_FIELDS, STALE_MESSAGE, item_create, item_reindex, item_update
from .load import LoadResult, knowledge_load
from .recommendations import effective_history, status_update_record
from .roundtable import session_create, statement_create, statement_delete, statement_update
from .usage import usage_record, visitor_audience

__all__ = [
    "ITEM_FIELDS",
    "STALE_MESSAGE",
    "LoadResult",
    "StaleEdit",
    "effective_history",
    "item_create",
    "item_reindex",
    "item_update",
    "knowledge_load",
    "session_create",
    "statement_create",
    "statement_delete",
    "statement_update",
    "status_update_record",
    "usage_record",
    "visitor_audience",
]
