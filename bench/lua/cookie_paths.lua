-- GET paths at random (file given after `--`) with the session cookie given second: a signed-in
-- official's inbox.
require("report")
local paths = {}
local cookie

function init(args)
  for line in io.lines(args[1]) do
    paths[#paths + 1] = line
  end
  cookie = "sessionid=" .. args[2]
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)], { ["Cookie"] = cookie })
end
