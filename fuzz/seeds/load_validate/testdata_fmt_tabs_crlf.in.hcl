resource "host" "web" {
	name = "web"
	address   = "10.0.0.1"
	ssh {
		user	=	"admin"
		port = 22
	}
}
