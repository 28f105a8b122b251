-- wrk script for `make bench`'s browse scenarios: each request takes the next path of a shuffled,
-- Zipf-distributed list written by scripts/bench_scenarios.py (one path a line, file in BENCH_PATHS).
local paths = {}
local counter = 0

function init(args)
  for line in io.lines(os.getenv("BENCH_PATHS")) do
    paths[#paths + 1] = line
  end
  -- Each thread starts at its own place in the list.
  math.randomseed(os.time() + tonumber(tostring(args):match("0x(%x+)") or "0", 16))
  counter = math.random(#paths)
end

function request()
  counter = counter % #paths + 1
  return wrk.format("GET", paths[counter])
end
