#!/usr/bin/env bash
# Apache Kafka (pinned in kafka/pom.xml) in single-node KRaft mode, from Maven Central jars.
# Usage: kafka.sh install|start|stop|restart
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KAFKA_HOME="$INFRA/kafka-$KAFKA_VERSION"
KAFKA_DATA="$INFRA/data/kafka"

install_kafka() {
  local pom_sum; pom_sum="$(sha1sum "$ROOT/scripts/infra/kafka/pom.xml" | cut -d' ' -f1)"
  if [[ "$(cat "$KAFKA_HOME/.complete" 2>/dev/null)" == "$pom_sum" ]]; then return 0; fi
  require_cmd java "Install a Java 17 JDK (Debian: apt-get install openjdk-17-jdk-headless)."
  require_cmd mvn "Install Maven (Debian: apt-get install maven)."
  local major; major="$(java -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2}')"
  [[ "${major%%.*}" -ge 17 ]] || die "Kafka $KAFKA_VERSION needs Java 17 or newer; found $major."
  log "resolving Kafka $KAFKA_VERSION from Maven Central (cached in ~/.m2)"
  rm -rf "$KAFKA_HOME" && mkdir -p "$KAFKA_HOME/libs"
  if ! mvn -B -q -f "$ROOT/scripts/infra/kafka/pom.xml" dependency:copy-dependencies \
      -DoutputDirectory="$KAFKA_HOME/libs" -Dkafka.version="$KAFKA_VERSION" >"$LOG_DIR/kafka-install.log" 2>&1; then
    tail -20 "$LOG_DIR/kafka-install.log" >&2
    die "could not download Kafka $KAFKA_VERSION from Maven Central (full log: $LOG_DIR/kafka-install.log)"
  fi
  echo "$pom_sum" >"$KAFKA_HOME/.complete"
}

start_kafka() {
  install_kafka
  if pid_alive kafka && port_open "$KAFKA_PORT"; then log "Kafka already running on 127.0.0.1:$KAFKA_PORT"; return 0; fi
  ensure_port_free "$KAFKA_PORT" Kafka
  ensure_port_free "$KAFKA_CONTROLLER_PORT" "the Kafka controller"
  mkdir -p "$KAFKA_DATA"
  sed -e "s#@KAFKA_PORT@#$KAFKA_PORT#g" -e "s#@CONTROLLER_PORT@#$KAFKA_CONTROLLER_PORT#g" -e "s#@DATA_DIR@#$KAFKA_DATA#g" \
    "$ROOT/scripts/infra/kafka/server.properties.template" >"$INFRA/kafka-server.properties"
  local java_opts=(-Xms256m -Xmx768m -XX:+UseG1GC -Djava.awt.headless=true
    "-Dlog4j2.configurationFile=$ROOT/scripts/infra/kafka/log4j2.properties" -cp "$KAFKA_HOME/libs/*")
  if [[ ! -f "$KAFKA_DATA/meta.properties" ]]; then
    local cluster_id; cluster_id="$(java "${java_opts[@]}" kafka.tools.StorageTool random-uuid 2>>"$LOG_DIR/kafka.log" | tail -1)"
    java "${java_opts[@]}" kafka.tools.StorageTool format -t "$cluster_id" -c "$INFRA/kafka-server.properties" \
      >>"$LOG_DIR/kafka.log" 2>&1 || die "formatting the KRaft log dir failed; see $LOG_DIR/kafka.log"
  fi
  log "starting Kafka $KAFKA_VERSION (KRaft) on 127.0.0.1:$KAFKA_PORT"
  nohup java "${java_opts[@]}" kafka.Kafka "$INFRA/kafka-server.properties" >>"$LOG_DIR/kafka.log" 2>&1 &
  echo $! >"$RUN_DIR/kafka.pid"
  wait_for_port "$KAFKA_PORT" Kafka kafka 120
}

case "${1:-start}" in
  install) install_kafka ;;
  start) start_kafka ;;
  stop) stop_pid kafka ;;
  restart) stop_pid kafka; start_kafka ;;
  *) die "usage: kafka.sh install|start|stop|restart" ;;
esac
