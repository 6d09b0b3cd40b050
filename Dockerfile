# Multi-stage build: the SDK image publishes the Native AOT binary (clang and zlib for the native link); the final
# image has no .NET runtime at all (runtime-deps) and runs as a non-root user.
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
RUN apt-get update \
 && apt-get install -y --no-install-recommends clang zlib1g-dev \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY . .
RUN dotnet publish src/LlmSpell.Cli/LlmSpell.Cli.csproj -c Release -r linux-x64 -o /opt/llmspell

FROM mcr.microsoft.com/dotnet/runtime-deps:10.0
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 llmspell \
 && useradd --system --uid 10001 --gid 10001 --home-dir /var/lib/llmspell --shell /usr/sbin/nologin llmspell \
 && install -d -o llmspell -g llmspell -m 0750 /var/lib/llmspell /var/log/llmspell /var/run/llmspell \
 && install -d -m 0755 /etc/llmspell
COPY --from=build /opt/llmspell /opt/llmspell
COPY deploy/docker/kernel.toml /etc/llmspell/kernel.toml
ENV LLMSPELL_CONFIG=/etc/llmspell/kernel.toml
# Numeric, so Kubernetes can check runAsNonRoot against the image itself (deploy/kubernetes runs it as 10001:10001).
USER 10001:10001
WORKDIR /var/lib/llmspell
# 9555 is the HTTP control plane; 9556-9560 are the Jupyter shell, iopub, stdin, control and heartbeat channels.
EXPOSE 9555 9556 9557 9558 9559 9560
HEALTHCHECK --interval=30s --timeout=3s --retries=3 CMD curl -fsS http://127.0.0.1:9555/health || exit 1
ENTRYPOINT ["/opt/llmspell/llmspell", "kernel", "start"]
