"""The nightly report: each active contractor's previous local day and month to date, and the
agency summary.

``periods`` turns a date and a time zone into UTC query windows, ``figures`` and ``costs``
compute the numbers from leads, ``build`` reads and classifies one contractor's leads,
``render_html`` and ``render_text`` lay the numbers out, ``delivery`` sends each email exactly
once, ``summary`` builds the agency summary, ``fanout`` splits a run into queue messages, and
``local_render`` writes the same reports to files for ``leadline report``.
"""
