#!/usr/bin/env bash
# rabbitmqctl against the private node started by rmq_start.sh. Usage: rmqctl.sh BASE_DIR ARGS...
set -euo pipefail
BASE=$1; shift
. "$BASE/env.sh"
exec /usr/lib/rabbitmq/bin/rabbitmqctl -n "$RABBITMQ_NODENAME" "$@"
