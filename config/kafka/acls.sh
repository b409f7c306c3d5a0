#!/bin/sh
# Per-agency Kafka authorization, derived from config/agencies.yaml: each agency with a Kafka
# channel may write its inbound topic, read its outbound topic, and use consumer groups named
# lienthong.<CODE>.*; the gateway may read every inbound topic (group lienthong-gateway) and write
# every outbound topic. Needs an authorizer (authorizer.class.name=
# org.apache.kafka.metadata.authorizer.StandardAuthorizer on KRaft) and authenticated listeners
# (SASL_SSL or mTLS) whose principals are the agencies' Keycloak client ids (e.g. SASL/OAUTHBEARER
# with sasl.oauthbearer.sub.claim.name=azp, or SCRAM users of those names).
#
#   BOOTSTRAP=kafka1.example:9093 ADMIN_CONFIG=/etc/kafka/admin.properties sh config/kafka/acls.sh
#
# An agency added to config/agencies.yaml with a Kafka channel needs its three lines here:
# ChannelSecurityExamplesTest fails until they are.
set -eu
: "${BOOTSTRAP:?the brokers, host:port}"
: "${ADMIN_CONFIG:?a client properties file with the admin principal's credentials}"
acl() { kafka-acls.sh --bootstrap-server "$BOOTSTRAP" --command-config "$ADMIN_CONFIG" --add "$@"; }

# The gateway (principal lienthong-gateway; its Kafka client settings: camel.component.kafka.*).
acl --allow-principal User:lienthong-gateway --operation Read --operation Describe \
    --topic lienthong. --resource-pattern-type prefixed
acl --allow-principal User:lienthong-gateway --operation Write --operation Describe \
    --topic lienthong. --resource-pattern-type prefixed
acl --allow-principal User:lienthong-gateway --operation Read --group lienthong-gateway

# MOIT.DMS (client moit-dms)
acl --allow-principal User:moit-dms --operation Write --operation Describe --topic lienthong.MOIT.DMS.in
acl --allow-principal User:moit-dms --operation Read --operation Describe --topic lienthong.MOIT.DMS.out
acl --allow-principal User:moit-dms --operation Read --group lienthong.MOIT.DMS. --resource-pattern-type prefixed

# MPS.C03 (client mps-c03)
acl --allow-principal User:mps-c03 --operation Write --operation Describe --topic lienthong.MPS.C03.in
acl --allow-principal User:mps-c03 --operation Read --operation Describe --topic lienthong.MPS.C03.out
acl --allow-principal User:mps-c03 --operation Read --group lienthong.MPS.C03. --resource-pattern-type prefixed

# MPS.A05 (client mps-a05)
acl --allow-principal User:mps-a05 --operation Write --operation Describe --topic lienthong.MPS.A05.in
acl --allow-principal User:mps-a05 --operation Read --operation Describe --topic lienthong.MPS.A05.out
acl --allow-principal User:mps-a05 --operation Read --group lienthong.MPS.A05. --resource-pattern-type prefixed
