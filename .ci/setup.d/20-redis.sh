# Sourced by .ci/run: a private redis-server for the RedisCache tests.
apt_install redis-server
REDIS_PORT=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
redis-server --bind 127.0.0.1 --port "$REDIS_PORT" --save '' --appendonly no --daemonize no >/tmp/ag2ts-redis.log 2>&1 &
REDIS_PID=$!
on_exit "kill $REDIS_PID"
for _ in $(seq 1 50); do
  redis-cli -h 127.0.0.1 -p "$REDIS_PORT" ping >/dev/null 2>&1 && break
  sleep 0.1
done
export REDIS_URL="redis://127.0.0.1:$REDIS_PORT"
echo "redis-server (pid $REDIS_PID) at $REDIS_URL"
