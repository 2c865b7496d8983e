"""moto's SQS emulator for the benchmark (scripts/bench-sqs.sh), with its quadratic paths made
linear. Run with the moto venv's python, the arguments of moto_server:

    target/moto-venv/bin/python scripts/moto-bench-server.py -H 127.0.0.1 -p PORT

moto 5 computes every queue attribute on each SendMessage (send_message reads
queue.attributes["ContentBasedDeduplication"], and building that dict counts the visible, in
flight and delayed messages, each a datetime computation), lists all visible messages on each
ReceiveMessage, and rebuilds the message list on each DeleteMessage. Measured on this machine:
200 messages took 1.2 s into an empty queue and 9.3 s into one holding 800, so 100k messages
never finish. Real SQS has no such cost. This launcher changes how moto finds things, never
what it answers:
- the three ApproximateNumberOfMessages* attributes are computed only when read;
- moto's clock reads time.time() instead of building datetimes;
- the visible messages are walked lazily, so a receive stops at the messages it returns;
- a delete finds its message by scanning from the oldest (where received messages are) and
  removes that one, instead of two passes and a new list.
The tests (tests/support/sqs.rs) run moto_server unpatched: only the benchmark uses this.
"""

import sys
import time

import moto.sqs.models as models
from moto.core import utils
from moto.server import main

_unix_time, _unix_time_millis = utils.unix_time, utils.unix_time_millis


def unix_time(dt=None):
    return time.time() if dt is None else _unix_time(dt)


def unix_time_millis(dt=None):
    return time.time() * 1000.0 if dt is None else _unix_time_millis(dt)


models.unix_time, models.unix_time_millis = unix_time, unix_time_millis

LAZY = {
    "ApproximateNumberOfMessages": lambda q: sum(1 for m in q._messages if m.visible and not m.delayed),
    "ApproximateNumberOfMessagesDelayed": lambda q: sum(1 for m in q._messages if m.delayed),
    "ApproximateNumberOfMessagesNotVisible": lambda q: sum(1 for m in q._messages if not m.visible),
}


class Attributes(dict):
    """The queue's attributes; the message counts are computed when read."""

    def __init__(self, queue, items):
        super().__init__(items)
        self._queue = queue

    def _value(self, key, value):
        if key in LAZY and value is None:
            value = str(LAZY[key](self._queue))
            dict.__setitem__(self, key, value)
        return value

    def __getitem__(self, key):
        return self._value(key, dict.__getitem__(self, key))

    def get(self, key, default=None):
        return self[key] if key in self else default

    def items(self):
        return [(k, self[k]) for k in self.keys()]

    def values(self):
        return [self[k] for k in self.keys()]

    def copy(self):
        return dict(self.items())


_base_names = [n for n in models.Queue.BASE_ATTRIBUTES if n not in LAZY]


def attributes(self):
    saved = models.Queue.BASE_ATTRIBUTES
    try:
        models.Queue.BASE_ATTRIBUTES = _base_names
        result = _attributes(self)
    finally:
        models.Queue.BASE_ATTRIBUTES = saved
    lazy = Attributes(self, result)
    for name in LAZY:
        if name in saved:
            dict.__setitem__(lazy, name, None)
    return lazy


_attributes = models.Queue.attributes.fget
models.Queue.attributes = property(attributes)
models.Queue.approximate_number_of_messages = property(LAZY["ApproximateNumberOfMessages"])


class Visible:
    """queue.messages, walked as it is read; truthy when any message is visible."""

    def __init__(self, queue):
        self._queue = queue

    def __iter__(self):
        return (m for m in list(self._queue._messages) if m.visible and not m.delayed)

    def __bool__(self):
        return any(True for _ in self)

    def __len__(self):
        return sum(1 for _ in self)


models.Queue.messages = property(Visible)


def delete_message(self, receipt_handle):
    if receipt_handle in self.deleted_messages:
        return
    for i, message in enumerate(self._messages):
        if message.had_receipt_handle(receipt_handle):
            self.pending_messages.discard(message)
            self.deleted_messages.update(message.all_receipt_handles)
            del self._messages[i]
            return
    raise models.ReceiptHandleIsInvalid()


models.Queue.delete_message = delete_message

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
