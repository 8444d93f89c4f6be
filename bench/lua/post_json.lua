-- POST the JSON body in the file given after `--` to the path given third, with the bearer
-- token given second.
require("report")
local body, token, path

function init(args)
  local file = io.open(args[1], "r")
  body = file:read("*a")
  file:close()
  token = args[2]
  path = args[3]
end

function request()
  return wrk.format("POST", path, {
    ["Content-Type"] = "application/json",
    ["Authorization"] = "Bearer " .. token,
  }, body)
end
