"""The reader's static site (``packman site DIR``): HTML pages, feeds, badges and data files.

Everything is computed in memory from the dataset (:func:`bot.render.site.build.build`), from
the same view-models the README and the Markdown pages use, then written by
:func:`bot.render.site.build.write`. Nothing reads the clock: the data's date is the commit date
passed in, so two builds of the same commit give the same bytes.
"""
