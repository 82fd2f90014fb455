"""The single source of truth for every action this library grants.

Service modules (:mod:`.s3`, :mod:`.kms`) say what each action is scoped to; vendor
modules (:mod:`.risingwave`, ...) say which actions each engine needs and where the
vendor's own page is wrong. Constructs render from these tables; the docs, the
report and the tests read the same tables.
"""
