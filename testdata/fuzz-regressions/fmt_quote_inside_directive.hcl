g = "%{if a}"%{endif}"
