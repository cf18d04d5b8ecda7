"""briefgen: turn a readout of a diplomatic or economic meeting into briefing memos."""

__version__ = "0.1.0"
