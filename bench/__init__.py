"""`make bench`: Parcours at the size of a large deployment (issue 8).

`bench.generate` fills a database with a deployment that the application itself could have written
(real data keys, real ciphertext, blind indexes, guardian grants, a valid audit chain), in bulk;
`bench.measure` times the screens that matter through the real views; `python -m bench` creates
its own PostgreSQL database, runs both, prints the table and drops the database.
"""
