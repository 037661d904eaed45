"""Source data for the Northwind Robotics demo workspace; `resources/demo/generate.py` renders it.

Not imported by the app: the rendered files under resources/demo/ are committed and imported at
run time through the same importers as real data.
"""
