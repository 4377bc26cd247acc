x = "%{if v}
%{endif}"
