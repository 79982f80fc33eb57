"""The read-only JSON API at /api/: every list (with the pages' filters) and every record,
described by an OpenAPI document at /api/openapi.json and a page at /api/."""
