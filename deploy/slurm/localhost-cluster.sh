#!/usr/bin/env bash
# A one-host Slurm cluster (slurmctld and slurmd on localhost), to try deploy/slurm/llm-bench.sbatch
# on one machine; the tests and CI use it. Needs root and Debian's slurm-wlm and munge.
# Usage: sudo deploy/slurm/localhost-cluster.sh [start|stop]
set -euo pipefail
if [[ "${1:-start}" == "--help" || "${1:-}" == "-h" ]]; then
  sed -n '2,5p' "$0" | sed 's/^# //'
  exit 0
fi
stop() {
  pkill -x slurmd || true
  pkill -x slurmctld || true
  for _ in $(seq 1 20); do # they save their state first: at most 10 s
    pgrep -x slurmd >/dev/null || pgrep -x slurmctld >/dev/null || return 0
    sleep 0.5
  done
  pkill -9 -x slurmd || true
  pkill -9 -x slurmctld || true
}
if [[ "${1:-start}" == "stop" ]]; then
  stop
  exit 0
fi
command -v slurmctld >/dev/null || { echo "error: slurmctld not found (apt-get install -y slurm-wlm munge)" >&2; exit 2; }
cpus=$(nproc)
host=$(hostname -s)
# slurmctld and slurmd find this node by its name: a container's name may not resolve
getent hosts "$host" >/dev/null || echo "127.0.1.1 $host" >> /etc/hosts
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
# a fresh start every time: a daemon of an earlier start may hold an older configuration
stop
slurmctld
slurmd
deadline=$((SECONDS + 60)) # every wait bounded: sinfo itself retries for long when slurmctld is down
while (( SECONDS < deadline )); do
  if timeout 5 sinfo -h -o %T 2>/dev/null | grep -qE "idle|mix|alloc"; then
    echo "slurm on $host: $(timeout 5 sinfo -h -o '%P %T %c CPUs')"
    exit 0
  fi
  timeout 5 scontrol update nodename="$host" state=resume >/dev/null 2>&1 || true
  sleep 1
done
echo "error: slurm did not come up within 60 s: see /var/log/slurm/slurmctld.log and slurmd.log" >&2
exit 1
