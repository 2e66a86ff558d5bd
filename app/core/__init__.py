"""Cross-cutting pieces every feature uses: access, audit, dates, db helpers, errors."""
