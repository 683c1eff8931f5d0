#!/usr/bin/env bash
# Peer baselines for the JMH transport benchmarks, measured on this machine, on loopback:
#   - sockperf ping-pong, TCP and UDP, 64 B and 1024 B messages, unpinned (the scheduler places
#     client and server, as it places wirelab's threads) and both pinned to CPU 0 (the same-core
#     floor: on a VM a wake-up across vCPUs costs tens of microseconds);
#   - iperf3 throughput, one TCP stream and UDP (1200-byte datagrams at a target rate).
# Starts its own servers on free ports, stops them by PID, and writes one JSON file.
#
# sockperf reports latency as HALF the round trip (RTT/2). The JSON keeps that figure as
# sockperf printed it ("reported_rtt_half_us") and the round trip derived from it
# ("derived_rtt_us" = 2 x reported); compare wirelab's RoundTripBenchmark (a full round trip)
# with the derived RTT only.
#
# Usage: benchmarks/peers.sh [OUTPUT.json]        (default: benchmarks/target/peers.json)
# Environment: PEERS_SECONDS (seconds per run, default 5), PEERS_UDP_RATE (iperf3 -b, default 1G).
# Needs: sockperf, iperf3, jq, ss, taskset (Debian: apt-get install sockperf iperf3 jq iproute2 util-linux).
set -euo pipefail

script_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
out=${1:-"$script_dir/target/peers.json"}
seconds=${PEERS_SECONDS:-5}
udp_rate=${PEERS_UDP_RATE:-1G}
host=127.0.0.1

die() {
    echo "peers.sh: $*" >&2
    exit 1
}

missing=()
for tool in sockperf iperf3 jq ss timeout taskset; do
    command -v "$tool" > /dev/null 2>&1 || missing+=("$tool")
done
if ((${#missing[@]} > 0)); then
    die "missing tool(s): ${missing[*]}; no figures were measured. On Debian: apt-get install -y sockperf iperf3 jq iproute2 util-linux"
fi
[[ $seconds =~ ^[1-9][0-9]*$ ]] || die "PEERS_SECONDS must be a positive whole number of seconds, not '$seconds'"

work=$(mktemp -d)
pids=()
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2> /dev/null || true
        wait "$pid" 2> /dev/null || true
    done
    rm -rf "$work"
}
trap cleanup EXIT

# A port that nothing on this host uses for TCP or UDP right now.
free_port() {
    local port tries
    for ((tries = 0; tries < 200; tries++)); do
        port=$((20000 + RANDOM % 40000))
        if [[ -z $(ss -Htuan "( sport = :$port )") ]]; then
            echo "$port"
            return 0
        fi
    done
    die "no free port found"
}

# Waits until something listens on TCP port $1 (or 3 s pass; a UDP server gets the same grace).
await_listener() {
    local port=$1 i
    for ((i = 0; i < 30; i++)); do
        if [[ -n $(ss -Htuln "( sport = :$port )") ]]; then
            return 0
        fi
        sleep 0.1
    done
    die "no server came up on port $port"
}

# Prints one sockperf figure from a log: the number after the given prefix.
sockperf_value() {
    local log=$1 pattern=$2
    sed -e 's/\x1b\[[0-9;]*m//g' "$log" | sed -n -E "s/.*${pattern}[[:space:]]*([0-9.]+).*/\1/p" | tail -n 1
}

# sockperf ping-pong: $1 = udp|tcp, $2 = message bytes, $3 = unpinned|same-core.
# Appends a JSON object to $work/sockperf.jsonl.
sockperf_pp() {
    local proto=$1 size=$2 placement=$3 port log server_log flag=() pin=()
    port=$(free_port)
    [[ $proto == tcp ]] && flag=(--tcp)
    [[ $placement == same-core ]] && pin=(taskset -c 0)
    log="$work/sockperf-$proto-$size-$placement.log"
    server_log="$work/sockperf-server-$proto-$size-$placement.log"
    "${pin[@]}" sockperf sr "${flag[@]}" -i "$host" -p "$port" > "$server_log" 2>&1 &
    pids+=("$!")
    local server=$!
    await_listener "$port"
    echo "sockperf ping-pong $proto ${size} B, $placement, ${seconds} s ..." >&2
    if ! timeout $((seconds + 20)) "${pin[@]}" sockperf pp "${flag[@]}" -i "$host" -p "$port" -m "$size" -t "$seconds" > "$log" 2>&1; then
        cat "$log" >&2
        die "sockperf pp $proto $size B failed"
    fi
    kill "$server" 2> /dev/null || true
    wait "$server" 2> /dev/null || true

    local avg p50 p99 p999 min max observations valid dropped
    avg=$(sockperf_value "$log" 'avg-latency=')
    p50=$(sockperf_value "$log" 'percentile 50.000 =')
    p99=$(sockperf_value "$log" 'percentile 99.000 =')
    p999=$(sockperf_value "$log" 'percentile 99.900 =')
    min=$(sockperf_value "$log" '<MIN> observation =')
    max=$(sockperf_value "$log" '<MAX> observation =')
    observations=$(sockperf_value "$log" 'Total')
    valid=$(sed -n -E 's/.*\[Valid Duration\] RunTime=([0-9.]+) sec.*/\1/p' "$log" | tail -n 1)
    dropped=$(sed -n -E 's/.*# dropped messages = ([0-9]+).*/\1/p' "$log" | tail -n 1)
    [[ -n $p50 && -n $p99 && -n $avg && -n $valid ]] || {
        cat "$log" >&2
        die "could not read sockperf's figures ($proto $size B)"
    }
    jq -n --arg proto "$proto" --argjson size "$size" --arg placement "$placement" --argjson seconds "$seconds" \
        --argjson avg "$avg" --argjson p50 "$p50" --argjson p99 "$p99" --argjson p999 "${p999:-null}" \
        --argjson min "${min:-null}" --argjson max "${max:-null}" \
        --argjson observations "${observations:-null}" --argjson valid "$valid" --argjson dropped "${dropped:-null}" '
        def r3: . * 1000 | round / 1000;
        {
          protocol: $proto, message_bytes: $size, placement: $placement, seconds: $seconds,
          observations: $observations, valid_seconds: $valid, dropped: $dropped,
          round_trips_per_second: (if $observations then ($observations / $valid | round) else null end),
          reported_rtt_half_us: {avg: $avg, p50: $p50, p99: $p99, p99_9: $p999, min: $min, max: $max},
          derived_rtt_us: {avg: ($avg * 2 | r3), p50: ($p50 * 2 | r3), p99: ($p99 * 2 | r3),
                           p99_9: (if $p999 then ($p999 * 2 | r3) else null end),
                           min: (if $min then ($min * 2 | r3) else null end),
                           max: (if $max then ($max * 2 | r3) else null end)}
        }' >> "$work/sockperf.jsonl"
}

# iperf3: $1 = tcp|udp. Appends a JSON object to $work/iperf3.jsonl.
iperf3_run() {
    local proto=$1 port json server args=()
    port=$(free_port)
    json="$work/iperf3-$proto.json"
    iperf3 -s -1 -B "$host" -p "$port" > "$work/iperf3-server-$proto.log" 2>&1 &
    pids+=("$!")
    local server=$!
    await_listener "$port"
    [[ $proto == udp ]] && args=(-u -b "$udp_rate" -l 1200)
    echo "iperf3 $proto ${args[*]}, ${seconds} s ..." >&2
    if ! timeout $((seconds + 20)) iperf3 -c "$host" -p "$port" -t "$seconds" -J "${args[@]}" > "$json" 2> "$work/iperf3-$proto.err"; then
        cat "$json" "$work/iperf3-$proto.err" >&2
        die "iperf3 $proto failed"
    fi
    wait "$server" 2> /dev/null || true
    if [[ $proto == tcp ]]; then
        jq '{
              protocol: "tcp", streams: 1, seconds: .start.test_start.duration,
              sender_bits_per_second: .end.sum_sent.bits_per_second,
              receiver_bits_per_second: .end.sum_received.bits_per_second,
              retransmits: .end.sum_sent.retransmits,
              mean_rtt_us: (.end.streams[0].sender.mean_rtt // null),
              cpu_percent: {sender: .end.cpu_utilization_percent.host_total,
                            receiver: .end.cpu_utilization_percent.remote_total}
            }' "$json" >> "$work/iperf3.jsonl"
    else
        jq --arg rate "$udp_rate" '{
              protocol: "udp", datagram_bytes: 1200, target_rate: $rate, seconds: .start.test_start.duration,
              sender_bits_per_second: .end.sum.bits_per_second,
              receiver_bits_per_second: (.end.sum_received.bits_per_second // .end.sum.bits_per_second),
              packets: .end.sum.packets, lost_packets: .end.sum.lost_packets, lost_percent: .end.sum.lost_percent,
              jitter_ms: .end.sum.jitter_ms,
              cpu_percent: {sender: .end.cpu_utilization_percent.host_total,
                            receiver: .end.cpu_utilization_percent.remote_total}
            }' "$json" >> "$work/iperf3.jsonl"
    fi
}

: > "$work/sockperf.jsonl"
: > "$work/iperf3.jsonl"
for placement in unpinned same-core; do
    for proto in udp tcp; do
        for size in 64 1024; do
            sockperf_pp "$proto" "$size" "$placement"
        done
    done
done
iperf3_run tcp
iperf3_run udp

read_sysctl() {
    cat "/proc/sys/$1" 2> /dev/null || echo "unknown"
}

mkdir -p "$(dirname "$out")"
jq -n \
    --slurpfile sockperf "$work/sockperf.jsonl" \
    --slurpfile iperf3 "$work/iperf3.jsonl" \
    --arg date "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --arg kernel "$(uname -sr)" \
    --arg cpu "$(sed -n -E 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)" \
    --argjson vcpus "$(nproc)" \
    --arg load "$(cut -d ' ' -f 1-3 /proc/loadavg)" \
    --arg cc "$(read_sysctl net/ipv4/tcp_congestion_control)" \
    --arg rmem "$(read_sysctl net/core/rmem_default)" \
    --arg wmem "$(read_sysctl net/core/wmem_default)" \
    --arg sockperf_version "$(sockperf --version 2>&1 | head -n 1)" \
    --arg iperf3_version "$(iperf3 --version 2>&1 | head -n 1)" \
    '{
       tool: "benchmarks/peers.sh",
       date: $date,
       note: "loopback (127.0.0.1), one run each; sockperf unpinned and with client and server both on CPU 0 (placement), iperf3 unpinned. sockperf reports half the round trip: reported_rtt_half_us is its figure (RTT/2), derived_rtt_us = 2 x that; compare full round trips with derived_rtt_us. Latencies in microseconds, rates in bits per second.",
       machine: {kernel: $kernel, cpu_model: $cpu, vcpus: $vcpus, load_average_at_end: $load,
                 tcp_congestion_control: $cc, rmem_default: $rmem, wmem_default: $wmem},
       tools: {sockperf: $sockperf_version, iperf3: $iperf3_version},
       sockperf_ping_pong: $sockperf,
       iperf3: $iperf3
     }' > "$out"
echo "peers.sh: wrote $out" >&2
jq -r '.sockperf_ping_pong[] | "sockperf \(.protocol) \(.message_bytes) B \(.placement): p50 \(.reported_rtt_half_us.p50) us (RTT/2 as sockperf reports it) = RTT \(.derived_rtt_us.p50) us; p99 RTT \(.derived_rtt_us.p99) us"' "$out" >&2
jq -r '.iperf3[] | "iperf3 \(.protocol): \(.receiver_bits_per_second / 1e9 * 100 | round / 100) Gbit/s received"' "$out" >&2
