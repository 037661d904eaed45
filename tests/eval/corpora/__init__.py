"""Hand-written, labelled mailboxes of three companies in three industries (see dsl.py for the labelling rules)."""
