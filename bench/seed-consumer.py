#!/usr/bin/python3
"""The seed project's consumer, as a second ingest reference: kafka-python (Debian's python3-kafka),
JSON decode and a running average per device. Prints the rate from its first to its last record.
Usage: bench/seed-consumer.py BOOTSTRAP TOPIC COUNT"""
import json
import sys
import time

from kafka import KafkaConsumer

bootstrap, topic, count = sys.argv[1], sys.argv[2], int(sys.argv[3])
consumer = KafkaConsumer(topic, bootstrap_servers=bootstrap, auto_offset_reset="earliest", group_id=None,
                         enable_auto_commit=False, consumer_timeout_ms=30000)
averages = {}
seen = 0
first = None
for record in consumer:
    reading = json.loads(record.value)
    n, mean = averages.get(reading["deviceId"], (0, 0.0))
    averages[reading["deviceId"]] = (n + 1, mean + (reading["value"] - mean) / (n + 1))
    seen += 1
    if first is None:
        first = time.monotonic()
    if seen >= count:
        break
last = time.monotonic()
if seen < count:
    sys.exit(f"seed consumer: only {seen} of {count} records within 30 s of silence")
print(f"{(seen - 1) / (last - first):.0f}")
