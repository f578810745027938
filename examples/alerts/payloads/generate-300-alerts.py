#!/usr/bin/env python3
"""Writes alertmanager-300-alerts.json: one firing group of 300 KubePodCrashLooping alerts.

A group this size is real (a bad deploy crash-loops every pod of a deployment across
clusters). Rendered with templates/alertmanager.md it is far over WeCom's 4096 bytes, so
Herald splits it (overflow: split) into parts sent as several requests.
  python3 examples/alerts/payloads/generate-300-alerts.py   # rewrites the file beside it
"""
import hashlib
import json
import os

ALERTS = 300
NAMESPACES = ["checkout", "cart", "search", "payments", "catalog"]
CLUSTERS = ["prod-sh-1", "prod-sh-2", "prod-bj-1"]
REASONS = ["OOMKilled", "Error", "CrashLoopBackOff"]


def alert(i):
    ns = NAMESPACES[i % len(NAMESPACES)]
    cluster = CLUSTERS[i % len(CLUSTERS)]
    pod = f"{ns}-api-7d9f8c6b5-{i:05x}"
    labels = {
        "alertname": "KubePodCrashLooping",
        "cluster": cluster,
        "container": f"{ns}-api",
        "instance": f"10.42.{i // 250}.{i % 250 + 2}:8080",
        "job": "kube-state-metrics",
        "namespace": ns,
        "pod": pod,
        "severity": "warning",
        "team": "web",
    }
    minute, second = divmod(i * 7, 60)
    return {
        "status": "firing",
        "labels": labels,
        "annotations": {
            "summary": f"Pod {ns}/{pod} is crash looping",
            "description": f"Container {ns}-api restarted {3 + i % 9} times in 10 minutes (last: {REASONS[i % 3]}).",
            "runbook_url": "https://runbooks.example.com/kubernetes/pod-crash-looping",
        },
        "startsAt": f"2026-12-04T09:{10 + minute % 40:02d}:{second:02d}.{i % 1000:03d}Z",
        "endsAt": "0001-01-01T00:00:00Z",
        "generatorURL": "https://prometheus.example.com/graph?g0.expr=increase%28kube_pod_container_status_restarts_total%5B10m%5D%29+%3E+2&g0.tab=1",
        "fingerprint": hashlib.sha256(pod.encode()).hexdigest()[:16],
    }


def main():
    payload = {
        "version": "4",
        "groupKey": "{}/{team=\"web\"}:{alertname=\"KubePodCrashLooping\"}",
        "truncatedAlerts": 0,
        "status": "firing",
        "receiver": "herald",
        "groupLabels": {"alertname": "KubePodCrashLooping"},
        "commonLabels": {"alertname": "KubePodCrashLooping", "job": "kube-state-metrics", "severity": "warning", "team": "web"},
        "commonAnnotations": {"runbook_url": "https://runbooks.example.com/kubernetes/pod-crash-looping"},
        "externalURL": "https://alertmanager.example.com",
        "alerts": [alert(i) for i in range(ALERTS)],
    }
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "alertmanager-300-alerts.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(payload, f, indent=1, ensure_ascii=False)
        f.write("\n")


if __name__ == "__main__":
    main()
