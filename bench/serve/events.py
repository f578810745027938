"""Small Alertmanager payloads for the serve benchmark: each has its own groupKey and
fingerprint, so a server's dedupe never answers one as a duplicate."""
import json

_TEMPLATE = {
    "version": "4", "truncatedAlerts": 0, "status": "firing", "receiver": "herald",
    "groupLabels": {"alertname": "HighLatency"},
    "commonLabels": {"alertname": "HighLatency", "severity": "warning", "team": "ops"},
    "commonAnnotations": {}, "externalURL": "http://alertmanager.example.com:9093",
}


def payload(n, marker="bench"):
    """The n-th event; `marker-n` appears in the rendered digest (the alert's summary)."""
    event = dict(_TEMPLATE)
    event["groupKey"] = f'{{}}:{{alertname="HighLatency", run="{marker}-{n}"}}'
    event["alerts"] = [{
        "status": "firing",
        "labels": {"alertname": "HighLatency", "instance": f"web-{n % 100:02d}:9100", "severity": "warning", "team": "ops"},
        "annotations": {"summary": f"p99 latency 420 ms ({marker}-{n})"},
        "startsAt": "2026-12-04T08:01:00Z", "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "http://prometheus.example.com:9090/graph?g0.expr=latency",
        "fingerprint": f"{n:016x}",
    }]
    return json.dumps(event, separators=(",", ":")).encode()
