-- The public tracking form: a filing number and its code (lines "NUMBER CODE" of the file given
-- after `--`), posted from a different client address each time, behind one trusted proxy
-- that appends it to X-Forwarded-For. One wrong code in ten, as people mistype.
require("report")
local pairs_ = {}
local token = "benchcsrftoken0123456789abcdefgh"

function init(args)
  for line in io.lines(args[1]) do
    local number, code = line:match("(%S+) (%S+)")
    pairs_[#pairs_ + 1] = { number, code }
  end
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)"), 16) % 1000)
end

function request()
  local pair = pairs_[math.random(#pairs_)]
  local code = pair[2]
  if math.random(10) == 1 then
    code = "AAAAA-AAAAA"
  end
  local client = string.format("10.%d.%d.%d", math.random(0, 255), math.random(0, 255), math.random(1, 254))
  local body = "csrfmiddlewaretoken=" .. token .. "&filing_number=" .. pair[1] .. "&code=" .. code
  return wrk.format("POST", "/seguimiento/", {
    ["Content-Type"] = "application/x-www-form-urlencoded",
    ["Cookie"] = "csrftoken=" .. token,
    ["X-Forwarded-For"] = client,
  }, body)
end
