-- wrk script for scripts/load.sh: full-text searches in turn, in both
-- interface languages: the six queries of issue 18, a few more, and one
-- that finds nothing.
local queries = {"mangrove", "Mekong", "PM2.5", "haze", "%E7%BA%A2%E6%A0%91%E6%9E%97", "%E6%B9%84%E5%85%AC%E6%B2%B3",
  "coral+reefs", "forest+cover", "water+quality", "glacier+permafrost"}
local langs = {"en", "zh"}
local i = 0
request = function()
  i = i + 1
  local q = queries[(i % #queries) + 1]
  local l = langs[(math.floor(i / #queries) % 2) + 1]
  return wrk.format("GET", "/" .. l .. "/search?q=" .. q)
end
