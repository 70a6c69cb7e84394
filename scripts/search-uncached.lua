-- wrk script for scripts/load.sh: the searches of search.lua, each URL
-- made unique by a parameter the catalogue ignores, so that no page is
-- served from the cache of rendered results: the cost of a new query.
local queries = {"mangrove", "Mekong", "PM2.5", "haze", "%E7%BA%A2%E6%A0%91%E6%9E%97", "%E6%B9%84%E5%85%AC%E6%B2%B3",
  "coral+reefs", "forest+cover", "water+quality", "glacier+permafrost"}
local langs = {"en", "zh"}
local i = 0
local id = math.random(1, 1000000000)
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  local l = langs[(math.floor(i / #queries) % 2) + 1]
  return wrk.format("GET", "/" .. l .. "/search?q=" .. q .. "&n=" .. id .. "-" .. i)
end
