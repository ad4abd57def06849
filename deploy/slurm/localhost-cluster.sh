#!/usr/bin/env bash
# A one-host Slurm cluster (slurmctld and slurmd on localhost), to try deploy/slurm/llm-bench.sbatch
# on one machine; the tests and CI use it. Needs root and Debian's slurm-wlm and munge.
# Usage: sudo deploy/slurm/localhost-cluster.sh [start|stop]
set -euo pipefail
if [[ "${1:-start}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,5p' "$0" | sed 's/^# //'
  exit 0
fi
if [[ "${1:-start}" == "stop" ]]; then
  pkill -x slurmd || true
  pkill -x slurmctld || true
  exit 0
fi
command -v slurmctld >/dev/null || { echo "error: slurmctld not found (apt-get install -y slurm-wlm munge)" >&2; exit 2; }
cpus=$(nproc)
host=$(hostname -s)
mkdir -p /etc/slurm /var/spool/slurmctld /var/spool/slurmd /var/log/slurm /run/munge /var/run/slurm
cat > /etc/slurm/slurm.conf <<CONF
ClusterName=localhost
SlurmctldHost=$host
SlurmUser=root
AuthType=auth/munge
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
StateSaveLocation=/var/spool/slurmctld
SlurmdSpoolDir=/var/spool/slurmd
SlurmctldPidFile=/var/run/slurm/slurmctld.pid
SlurmdPidFile=/var/run/slurm/slurmd.pid
SlurmctldLogFile=/var/log/slurm/slurmctld.log
SlurmdLogFile=/var/log/slurm/slurmd.log
MpiDefault=none
NodeName=$host CPUs=$cpus State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:8
CONF
[[ -f /etc/munge/munge.key ]] || { mkdir -p /etc/munge; dd if=/dev/urandom bs=1 count=1024 of=/etc/munge/munge.key 2>/dev/null; }
chmod 400 /etc/munge/munge.key
pgrep -x munged >/dev/null || munged --force
pgrep -x slurmctld >/dev/null || slurmctld
pgrep -x slurmd >/dev/null || slurmd
for _ in $(seq 1 60); do
  if sinfo -h -o %T 2>/dev/null | grep -qE "idle|mix|alloc"; then
    echo "slurm on $host: $(sinfo -h -o '%P %T %c CPUs')"
    exit 0
  fi
  scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
  sleep 1
done
echo "error: slurm did not come up: see /var/log/slurm/slurmctld.log and slurmd.log" >&2
exit 1
