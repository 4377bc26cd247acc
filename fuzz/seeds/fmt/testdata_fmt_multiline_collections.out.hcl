subnets = [
  "a",
  "b",
  "c",
]
ports = [80, 443,
8080]
settings = {
  memory                 = "512m"
  "spark.executor.cores" = 2
  nested = {
    deep = true
    list = [1, 2, 3]
  }
}
groups = [
  {
    name = "master"
    size = 1
  },
  {
    name = "core"
    size = 3
  },
]
colon_object = { a : 1, "b" : 2 }
matrix       = [[1, 2], [3, 4]]
empty_object = {}
empty_list   = []
